// What this kernel and this user can do, checked before anything is loaded so
// that failures come with one clear sentence.
import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { CodedError } from '../core/coded-error.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const CAP_NET_ADMIN = 12;
const CAP_SYS_ADMIN = 21;
const CAP_PERFMON = 38;
const CAP_BPF = 39;

function effectiveCaps(): bigint {
  try {
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? BigInt(`0x${m[1]}`) : 0n;
  } catch {
    return 0n;
  }
}

function has(caps: bigint, cap: number): boolean {
  return (caps & (1n << BigInt(cap))) !== 0n;
}

export function privilegeCheck(): Check {
  const caps = effectiveCaps();
  const sysAdmin = has(caps, CAP_SYS_ADMIN);
  const bpf = sysAdmin || (has(caps, CAP_BPF) && has(caps, CAP_PERFMON));
  const uid = process.getuid?.() ?? -1;
  return {
    name: 'privileges',
    ok: bpf,
    detail: bpf
      ? uid === 0
        ? 'running as root'
        : `uid ${uid} with ${sysAdmin ? 'CAP_SYS_ADMIN' : 'CAP_BPF and CAP_PERFMON'}${has(caps, CAP_NET_ADMIN) ? ' and CAP_NET_ADMIN' : ''}`
      : 'loading BPF programs needs root, or CAP_BPF and CAP_PERFMON; run as root',
  };
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
}
