// Where the API server is and how to speak to it from inside a pod: the
// service environment variables and the service account's mounted files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodedError } from '../core/coded-error.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface ApiAccess {
  /** https://host:port, no trailing slash */
  server: string;
  ca: Buffer;
  /** read at each request: bound service-account tokens are rotated */
  token: () => string;
}

/** The in-cluster API access, or null when this is not a pod (no service
 *  host in the environment). Throws when it is a pod without the files. */
export function inCluster(env: NodeJS.ProcessEnv = process.env, dir = SERVICE_ACCOUNT_DIR): ApiAccess | null {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) return null;
  let ca: Buffer;
  try {
    ca = readFileSync(join(dir, 'ca.crt'));
    readFileSync(join(dir, 'token'));
  } catch (e) {
    throw new CodedError('EK8S', `no service account in ${dir} (${(e as NodeJS.ErrnoException).code}): set automountServiceAccountToken`);
  }
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ca,
    token: () => readFileSync(join(dir, 'token'), 'utf8').trim(),
  };
}
