// --web.config.file, in the format of Prometheus's exporter-toolkit, so that
// an operator's file for node_exporter works here unchanged: TLS (certificate,
// key, versions, client CA for mutual TLS) and basic auth with bcrypt hashes.
// Checking the decoded YAML only: the YAML itself is web-config-yaml.ts, the
// files it names web-config-file.ts (both loaded only when a file is given).
import { isAbsolute, join } from 'node:path';

/** A file that cannot be used, and why, in one line. */
export class WebConfigError extends Error {
  override name = 'WebConfigError';
}

export const TLS_VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;
export type TlsVersionName = keyof typeof TLS_VERSIONS;
type NodeTlsVersion = (typeof TLS_VERSIONS)[TlsVersionName];

/** Go's tls.ClientAuthType names, as exporter-toolkit takes them;
 *  RequireClientCert is its older spelling of RequireAnyClientCert. */
export const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'RequireClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

/** PEM text given inline, or a file to read it from (absolute). */
export type Pem = { text: string } | { file: string };

export interface TlsSettings {
  cert: Pem;
  key: Pem;
  clientCa?: Pem;
  clientAuth: ClientAuthType;
  minVersion: NodeTlsVersion;
  maxVersion: NodeTlsVersion;
}

export interface WebConfig {
  /** absent: plain HTTP */
  tls?: TlsSettings;
  /** user name to bcrypt hash; empty: no basic auth */
  users: Map<string, string>;
  /** extra response headers (http_server_config.headers) */
  headers: Record<string, string>;
}

// Keys exporter-toolkit knows that netladder does not act on: refusing them
// says so, where ignoring them would leave an operator believing they hold.
const UNSUPPORTED = new Set(['cipher_suites', 'curve_preferences', 'client_allowed_sans', 'rate_limit']);
const TOP_KEYS = ['tls_server_config', 'http_server_config', 'basic_auth_users', 'rate_limit'];
const TLS_KEYS = [
  'cert',
  'key',
  'client_ca',
  'cert_file',
  'key_file',
  'client_auth_type',
  'client_ca_file',
  'client_allowed_sans',
  'min_version',
  'max_version',
  'cipher_suites',
  'prefer_server_cipher_suites',
  'curve_preferences',
];
const HTTP_KEYS = ['http2', 'headers'];
const HEADERS = ['Content-Security-Policy', 'X-Frame-Options', 'X-Content-Type-Options', 'X-XSS-Protection', 'Strict-Transport-Security'];
/** bcrypt's modular crypt format: $2a$, $2b$ or $2y$ (htpasswd's), cost, 53 characters of salt and hash */
const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function section(v: unknown, where: string, known: readonly string[]): Obj {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) throw new WebConfigError(`${where} must be a mapping`);
  for (const k of Object.keys(v)) {
    if (!known.includes(k)) throw new WebConfigError(`unknown field ${where === 'the file' ? k : `${where}.${k}`}`);
    if (UNSUPPORTED.has(k) && v[k] !== null && v[k] !== undefined) {
      throw new WebConfigError(`${where === 'the file' ? k : `${where}.${k}`} is not supported by netladder`);
    }
  }
  return v;
}

function text(o: Obj, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new WebConfigError(`${where}.${key} must be a string`);
  return v;
}

function version(o: Obj, key: string, fallback: TlsVersionName): NodeTlsVersion {
  const v = text(o, key, 'tls_server_config') ?? fallback;
  if (!(v in TLS_VERSIONS)) throw new WebConfigError(`tls_server_config.${key} takes ${Object.keys(TLS_VERSIONS).join(', ')}, not "${v}"`);
  return TLS_VERSIONS[v as TlsVersionName];
}

/** Inline PEM or a file; a relative file is relative to the config file's
 *  directory, as exporter-toolkit resolves it. */
function pem(o: Obj, inline: string, file: string, dir: string): Pem | undefined {
  const t = text(o, inline, 'tls_server_config');
  const f = text(o, file, 'tls_server_config');
  if (t !== undefined && f !== undefined) throw new WebConfigError(`tls_server_config: give ${inline} or ${file}, not both`);
  if (t !== undefined) return { text: t };
  if (f !== undefined) return { file: isAbsolute(f) ? f : join(dir, f) };
  return undefined;
}

function tlsSettings(o: Obj, dir: string): TlsSettings | undefined {
  const cert = pem(o, 'cert', 'cert_file', dir);
  const key = pem(o, 'key', 'key_file', dir);
  const clientCa = pem(o, 'client_ca', 'client_ca_file', dir);
  const auth = text(o, 'client_auth_type', 'tls_server_config');
  // exporter-toolkit's rule: any of these set means TLS is meant.
  if (!cert && !key && !clientCa && auth === undefined) return undefined;
  if (!cert) throw new WebConfigError('tls_server_config: missing one of cert or cert_file');
  if (!key) throw new WebConfigError('tls_server_config: missing one of key or key_file');
  const clientAuth = CLIENT_AUTH_TYPES.find((t) => t === (auth ?? 'NoClientCert'));
  if (!clientAuth) throw new WebConfigError(`tls_server_config.client_auth_type takes ${CLIENT_AUTH_TYPES.join(', ')}, not "${auth}"`);
  if (clientCa && clientAuth === 'NoClientCert') {
    throw new WebConfigError('tls_server_config: a client CA is given but client_auth_type is NoClientCert');
  }
  if (!clientCa && (clientAuth === 'RequireAndVerifyClientCert' || clientAuth === 'VerifyClientCertIfGiven')) {
    throw new WebConfigError(`tls_server_config: client_auth_type ${clientAuth} needs client_ca_file or client_ca`);
  }
  const minVersion = version(o, 'min_version', 'TLS12');
  const maxVersion = version(o, 'max_version', 'TLS13');
  const order = Object.values(TLS_VERSIONS) as string[];
  if (order.indexOf(minVersion) > order.indexOf(maxVersion)) throw new WebConfigError('tls_server_config: min_version is above max_version');
  return { cert, key, clientCa, clientAuth, minVersion, maxVersion };
}

function users(v: unknown): Map<string, string> {
  const m = new Map<string, string>();
  if (v === undefined || v === null) return m;
  if (!isObj(v)) throw new WebConfigError('basic_auth_users must be a mapping of user names to bcrypt hashes');
  for (const [user, hash] of Object.entries(v)) {
    if (typeof hash !== 'string' || !BCRYPT.test(hash)) {
      throw new WebConfigError(`basic_auth_users.${user} must be a bcrypt hash (htpasswd -nBC 10 "" | tr -d ':\\n')`);
    }
    m.set(user, hash);
  }
  return m;
}

function headers(v: unknown): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) throw new WebConfigError('http_server_config.headers must be a mapping');
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!HEADERS.includes(k)) throw new WebConfigError(`http_server_config.headers: ${k} is not one of ${HEADERS.join(', ')}`);
    if (typeof val !== 'string') throw new WebConfigError(`http_server_config.headers.${k} must be a string`);
    if (/[\r\n]/.test(val)) throw new WebConfigError(`http_server_config.headers.${k} must be one line`);
    if (val !== '') out[k] = val;
  }
  return out;
}

/** The file's decoded YAML, checked; `dir` is the file's directory. */
export function checkWebConfig(top: unknown, dir: string): WebConfig {
  const root = section(top ?? {}, 'the file', TOP_KEYS);
  const tls = section(root.tls_server_config, 'tls_server_config', TLS_KEYS);
  const http = section(root.http_server_config, 'http_server_config', HTTP_KEYS);
  if (tls.prefer_server_cipher_suites !== undefined && typeof tls.prefer_server_cipher_suites !== 'boolean') {
    throw new WebConfigError('tls_server_config.prefer_server_cipher_suites must be true or false');
  }
  // HTTP/2 is not served at all, so http2: true or false changes nothing.
  if (http.http2 !== undefined && typeof http.http2 !== 'boolean') throw new WebConfigError('http_server_config.http2 must be true or false');
  return { tls: tlsSettings(tls, dir), users: users(root.basic_auth_users), headers: headers(http.headers) };
}

/** Whether a client must prove who it is: a password, or a certificate
 *  checked against the client CA. */
export function authenticates(c: WebConfig): boolean {
  return c.users.size > 0 || c.tls?.clientAuth === 'RequireAndVerifyClientCert';
}

/** What the handshake alone cannot enforce with Node's two switches
 *  (requestCert, rejectUnauthorized): a certificate required but not
 *  verified, or verified only when given. Checked once the handshake is done. */
export function peerAllowed(clientAuth: ClientAuthType, presented: boolean, verified: boolean): boolean {
  switch (clientAuth) {
    case 'RequireAnyClientCert':
    case 'RequireClientCert':
      return presented;
    case 'VerifyClientCertIfGiven':
      return !presented || verified;
    case 'RequireAndVerifyClientCert':
      return presented && verified;
    default:
      return true;
  }
}
