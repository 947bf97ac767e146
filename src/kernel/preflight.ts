// What this kernel and this user can do, checked before anything is loaded so
// that failures come with one clear sentence naming the missing capability
// or the unreadable path.
import { existsSync, openSync, closeSync, readFileSync, statSync } from 'node:fs';
import { release } from 'node:os';
import { CodedError } from '../core/coded-error.js';
import type { ProgramStatus } from './addon.js';
import { capabilitySet, capName, has, type Capability } from './capabilities.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

function uid(): number {
  return process.getuid?.() ?? -1;
}

function names(caps: Capability[]): string {
  return caps.map(capName).join(' and ');
}

export function privilegeCheck(): Check {
  const caps = capabilitySet();
  // CAP_SYS_ADMIN stands in for both, as the kernel's bpf_capable() and
  // perfmon_capable() allow.
  const sysAdmin = has(caps, 'SYS_ADMIN');
  const lacking = sysAdmin ? [] : (['BPF', 'PERFMON'] as const).filter((c) => !has(caps, c));
  const ok = lacking.length === 0;
  return {
    name: 'privileges',
    ok,
    detail: ok
      ? uid() === 0
        ? 'running as root'
        : `uid ${uid()} with ${sysAdmin ? 'CAP_SYS_ADMIN' : 'CAP_BPF and CAP_PERFMON'}${has(caps, 'NET_ADMIN') ? ' and CAP_NET_ADMIN' : ''}`
      : lacking.length === 2
        ? 'loading BPF programs needs root, or CAP_BPF and CAP_PERFMON; run as root'
        : `loading BPF programs needs root, or CAP_BPF and CAP_PERFMON; uid ${uid()} lacks ${names([...lacking])}`,
  };
}

/** Where tracefs is mounted, from the mount table; null when it is not. */
function tracefsMount(mounts = '/proc/self/mounts'): string | null {
  try {
    const points = readFileSync(mounts, 'utf8')
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f[2] === 'tracefs')
      .map((f) => f[1]!);
    return points.find((p) => p === '/sys/kernel/tracing') ?? points[0] ?? null;
  } catch {
    return null;
  }
}

/** A tracepoint id the kernel hooks read when they attach. */
const TRACEPOINT_ID = 'events/syscalls/sys_exit_connect/id';

/**
 * Attaching a tracepoint reads its id in tracefs. tracefs is often mode
 * 0700 and its id files 0440, both root's: a non-root agent reads them with
 * CAP_DAC_READ_SEARCH. Not mounted is left to the addon, which mounts it.
 */
export function tracefsCheck(): Check {
  const mnt = tracefsMount();
  if (!mnt) return { name: 'tracefs', ok: true, detail: 'not mounted; it is mounted at start' };
  const id = `${mnt}/${TRACEPOINT_ID}`;
  try {
    closeSync(openSync(id, 'r'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      let mode = '';
      try {
        mode = ` (mode ${(statSync(mnt).mode & 0o777).toString(8).padStart(4, '0')})`;
      } catch {
        // the mount point itself is out of reach: the path says enough
      }
      return {
        name: 'tracefs',
        ok: false,
        detail: `tracefs is mounted at ${mnt}${mode} but uid ${uid()} cannot read ${id}: attaching tracepoints reads their ids there, which needs CAP_DAC_READ_SEARCH (or run as root)`,
      };
    }
    // No such tracepoint: the hook check decides, not this one.
  }
  return { name: 'tracefs', ok: true, detail: `mounted at ${mnt}` };
}

/** Why a program or uprobe did not attach, with the capability it lacked
 *  when that is the reason; null when it attached. */
export function attachWhy(p: ProgramStatus): string | null {
  if (p.attached) return null;
  const why = p.error ?? 'not attached';
  if (!/Permission denied|Operation not permitted/.test(why)) return why;
  const caps = capabilitySet();
  // A container's file is reached through /proc/<pid>/root.
  if (p.hook.includes(':/proc/') && !has(caps, 'SYS_PTRACE'))
    return `${why}: reaching a container's files through /proc/<pid>/root needs CAP_SYS_PTRACE`;
  if (p.optional && !has(caps, 'SYS_ADMIN')) return `${why}: the kernel's uprobes need CAP_SYS_ADMIN`;
  return why;
}

/** Attached, or skipped for want of a file or symbol (that view only is
 *  lost, as documented); anything else is a failure to report. */
export function attachedOrSkipped(p: ProgramStatus): boolean {
  return p.attached || (p.optional === true && p.error?.startsWith('skipped') === true);
}

export function btfCheck(): Check {
  const ok = existsSync('/sys/kernel/btf/vmlinux');
  return {
    name: 'btf',
    ok,
    detail: ok
      ? '/sys/kernel/btf/vmlinux present'
      : 'this kernel has no BTF (/sys/kernel/btf/vmlinux); it needs CONFIG_DEBUG_INFO_BTF=y',
  };
}

export function kernelCheck(): Check {
  const r = release();
  const [maj = 0, min = 0] = r.split('.').map((x) => parseInt(x, 10));
  const ok = maj > 5 || (maj === 5 && min >= 8);
  return { name: 'kernel', ok, detail: ok ? `Linux ${r}` : `Linux ${r}: BPF ring buffers need 5.8 or later` };
}

/** Throws the first failed check as a CodedError, in the order a person
 *  would fix them. */
export function requireKernelAccess(): void {
  const priv = privilegeCheck();
  if (!priv.ok) throw new CodedError('EPERM', priv.detail);
  const btf = btfCheck();
  if (!btf.ok) throw new CodedError('ENOBTF', btf.detail);
  const k = kernelCheck();
  if (!k.ok) throw new CodedError('ENOBTF', k.detail);
  const t = tracefsCheck();
  if (!t.ok) throw new CodedError('ETRACEFS', t.detail);
}
