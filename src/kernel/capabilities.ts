// The capabilities netladder asks for, what each view needs, and what the
// running agent keeps after attaching. README's "Security" section is the
// same table in prose; measured on Linux 6.18 as a non-root user given
// exactly these as ambient capabilities (capsh --addamb).
import { readFileSync } from 'node:fs';

/** Numbers from linux/capability.h. */
export const CAP = {
  DAC_READ_SEARCH: 2,
  NET_ADMIN: 12,
  SYS_PTRACE: 19,
  SYS_ADMIN: 21,
  PERFMON: 38,
  BPF: 39,
} as const;

export type Capability = keyof typeof CAP;

/**
 * What each view needs, beyond the views before it.
 * - kernel: loading and attaching the programs (CAP_BPF, CAP_PERFMON for
 *   tracing programs and perf events), and reading tracepoint ids in
 *   tracefs, which is mode 0700 with id files 0440 (CAP_DAC_READ_SEARCH;
 *   not needed where tracefs is readable).
 * - uprobes (DNS through getaddrinfo, TLS): the kernel's uprobe PMU refuses
 *   perf_event_open without CAP_SYS_ADMIN (EACCES), even with CAP_PERFMON.
 * - containers: finding a container's libraries reads /proc/<pid>/maps,
 *   ns/mnt and root of other users' processes (CAP_SYS_PTRACE).
 */
export const VIEWS = {
  kernel: ['BPF', 'PERFMON', 'DAC_READ_SEARCH'],
  uprobes: ['SYS_ADMIN'],
  containers: ['SYS_PTRACE'],
} as const satisfies Record<string, readonly Capability[]>;

/**
 * Kept by a running agent: maps and the ring buffer are read through the
 * descriptors it already holds, which needs no capability; what needs them
 * is attaching uprobes to containers' libraries found after start. Reading
 * tracefs is not needed again, so CAP_DAC_READ_SEARCH goes with the rest.
 */
export const KEPT_AFTER_ATTACH: readonly Capability[] = ['BPF', 'PERFMON', 'SYS_ADMIN', 'SYS_PTRACE'];

export function capName(cap: Capability): string {
  return `CAP_${cap}`;
}

/** A set from a status file (`CapEff`, `CapPrm`, `CapBnd`, ...). */
export function capabilitySet(field = 'CapEff', status = '/proc/self/status'): bigint {
  try {
    const m = new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(readFileSync(status, 'utf8'));
    return m ? BigInt(`0x${m[1]}`) : 0n;
  } catch {
    return 0n;
  }
}

export function has(set: bigint, cap: Capability): boolean {
  return (set & (1n << BigInt(CAP[cap]))) !== 0n;
}

/** The set with exactly these capabilities. */
export function setOf(caps: readonly Capability[]): bigint {
  return caps.reduce((s, c) => s | (1n << BigInt(CAP[c])), 0n);
}
