// An error with a machine-readable code, as the addon throws them.
export class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

/** Codes that mean "not permitted here" or "this kernel lacks it": exit 3. */
export const ENVIRONMENT_CODES = new Set(['EPERM', 'ENOBTF', 'ETRACEFS', 'ENOTBUILT', 'ELOAD', 'EATTACH']);

export function errorCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}
