// The native addon (native/), typed. Loaded lazily so that commands which
// never touch the kernel (explain, --help) work without it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodedError } from '../core/coded-error.js';

export interface ProgramStatus {
  name: string;
  hook: string;
  attached: boolean;
  /** uprobes: when skipped (file or symbol missing), everything else still works */
  optional?: boolean;
  error?: string;
}

export interface MonitorOptions {
  /** detail records per second per (pid, event, errno); 0 = unlimited */
  rateLimit?: number;
  /** wake the poll thread once this many bytes wait in the ring */
  wakeBytes?: number;
  /** ring buffer size: a power of two, multiple of the page size */
  ringBytes?: number;
  /** drain the ring at least this often (ms) */
  drainMs?: number;
  /** most records handed to JS in one batch */
  maxBatch?: number;
  /** program names not to load */
  disable?: string[];
  /** files for the uprobes: "libc.so.6", "libssl.so.3", "node" -> path(s) */
  libraries?: Record<string, string | string[]>;
  /** a DNS query with no answer after this long is reported as DNS_TIMEOUT */
  dnsTimeoutMs?: number;
}

export interface NativeMonitor {
  /** onError: reading the ring buffer failed (code EPOLL); no batch follows */
  start(onBatch: (records: Buffer, count: number) => void, onError?: (err: Error) => void): ProgramStatus[];
  close(): Promise<void>;
  /** [pid, kind, err, count, ...] summed over CPUs */
  readCounters(): Float64Array;
  /** indexed by LOSSES */
  readLosses(): number[];
  forgetPids(pids: number[]): number;
  attached(): ProgramStatus[];
  /** more files for the uprobes (containers' own libraries); their rows */
  attachLibraries(libraries: Record<string, string[]>): ProgramStatus[];
}

/** One row of the addon's uprobe table: `files` are keys of the
 *  `libraries` option (a soname, "musl" or "node"). */
export interface UprobeSpec {
  program: string;
  function: string;
  retprobe: boolean;
  files: string[];
}

export interface NativeLayout {
  size: number;
  fields: Record<string, { offset: number; size: number }>;
  hostSize: number;
  hostFields: Record<string, { offset: number; size: number }>;
  lengthSize: number;
  dns: Record<string, number>;
  kinds: Record<string, number>;
  flags: Record<string, number>;
  losses: Record<string, number>;
}

export interface Addon {
  Monitor: new (options: MonitorOptions) => NativeMonitor;
  layout(): NativeLayout;
  ensureTracefs(): string;
  kernelEnum(name: string): string[];
  /** which program goes on which function of which files */
  uprobes(): UprobeSpec[];
  /** keep only these capabilities (numbers), on every thread, and set
   *  no_new_privs; throws (code EPRIVDROP) when a thread could not */
  dropPrivileges(keep: number[]): { threads: number };
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ADDON_PATH = join(root, 'build', 'native', 'Release', 'netladder.node');

let cached: Addon | undefined;

export function loadAddon(): Addon {
  if (cached) return cached;
  if (!existsSync(ADDON_PATH))
    throw new CodedError('ENOTBUILT', `the native addon is not built (${ADDON_PATH}); run: npm run build`);
  cached = createRequire(import.meta.url)(ADDON_PATH) as Addon;
  return cached;
}
