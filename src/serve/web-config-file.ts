// Effects: the web config file and the PEM files it names, read at start and
// again whenever any of them changes. Changes are looked for on each new
// connection and each request, as exporter-toolkit re-reads its file, but by
// stat() alone: that costs no descriptor, so a descriptor shortage cannot make
// the check fail, and an unchanged file is not parsed again.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createSecureContext, type TlsOptions } from 'node:tls';
import { WebConfigError, type Pem, type WebConfig } from './web-config.js';
import { parseWebConfig } from './web-config-yaml.js';

export interface LoadedWebConfig {
  config: WebConfig;
  /** options for tls.Server and setSecureContext(); absent for plain HTTP */
  tls?: TlsOptions;
}

function readPem(p: Pem, what: string): string {
  if ('text' in p) return p.text;
  try {
    return readFileSync(p.file, 'utf8');
  } catch (err) {
    throw new WebConfigError(`cannot read ${what} ${p.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Reads and checks everything, including that the key matches the
 *  certificate; throws a WebConfigError. */
export function loadWebConfig(file: string): LoadedWebConfig {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    throw new WebConfigError(`cannot read it: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const config = parseWebConfig(source, dirname(resolve(file)));
  const t = config.tls;
  if (!t) return { config };
  const tls: TlsOptions = {
    cert: readPem(t.cert, 'cert_file'),
    key: readPem(t.key, 'key_file'),
    ...(t.clientCa ? { ca: readPem(t.clientCa, 'client_ca_file') } : {}),
    minVersion: t.minVersion,
    maxVersion: t.maxVersion,
    requestCert: t.clientAuth !== 'NoClientCert',
    rejectUnauthorized: t.clientAuth === 'RequireAndVerifyClientCert',
  };
  try {
    createSecureContext(tls);
  } catch (err) {
    throw new WebConfigError(`tls_server_config: ${(err as Error).message}`);
  }
  return { config, tls };
}

function files(c: WebConfig): string[] {
  const t = c.tls;
  return t ? [t.cert, t.key, t.clientCa].flatMap((p) => (p && 'file' in p ? [p.file] : [])) : [];
}

/** Identity and times of each file, or that it is missing: any change to
 *  any of them changes this. */
function signature(paths: string[]): string {
  return paths
    .map((p) => {
      const s = statSync(p, { bigint: true, throwIfNoEntry: false });
      return s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : '-';
    })
    .join('|');
}

export class WebConfigFile {
  private loaded: LoadedWebConfig;
  private seen: string;

  /** Throws a WebConfigError when the file cannot be used. */
  constructor(
    readonly file: string,
    private readonly onReloadError: (message: string) => void,
  ) {
    this.loaded = loadWebConfig(file);
    this.seen = this.signatureNow();
  }

  get current(): LoadedWebConfig {
    return this.loaded;
  }

  /** Re-reads if anything changed; true when a new config was taken. A bad
   *  new version is reported once and the last good one stays; so is one that
   *  would turn TLS on or off, which only a restart can do. */
  refresh(): boolean {
    const now = this.signatureNow();
    if (now === this.seen) return false;
    this.seen = now;
    try {
      const next = loadWebConfig(this.file);
      if (!next.tls !== !this.loaded.tls) throw new WebConfigError(`TLS cannot be turned ${next.tls ? 'on' : 'off'} while running; restart serve`);
      this.loaded = next;
      // The new file may name other PEM files: watch those from now on.
      this.seen = this.signatureNow();
      return true;
    } catch (err) {
      this.onReloadError(err instanceof Error ? err.message : String(err));
      return false;
    }
  }

  private signatureNow(): string {
    return signature([this.file, ...files(this.loaded.config)]);
  }
}
