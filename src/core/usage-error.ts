/** Thrown for options a person typed wrong; the CLI exits 2 with its message. */
export class UsageError extends Error {
  override name = 'UsageError';
}
