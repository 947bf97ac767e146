// Which suites this host can run. Suites that build network namespaces need
// root; suites that load BPF programs need that and a kernel that can take
// them. Elsewhere they skip, so `vitest run` works on any laptop; but under
// NETLADDER_REQUIRE_BPF=1 (CI) a skip would hide a broken host, so they run
// and fail with the host's own error.
import { existsSync } from 'node:fs';
import { describe } from 'vitest';
import { ADDON_PATH } from '../../src/kernel/addon.js';
import { btfCheck, kernelCheck, privilegeCheck } from '../../src/kernel/preflight.js';

export type Need = 'root' | 'bpf';

/** What the decision depends on, read once from this host. */
export interface Host {
  /** NETLADDER_REQUIRE_BPF=1 */
  required: boolean;
  root: boolean;
  /** root, or CAP_BPF and CAP_PERFMON: what `netladder doctor` checks */
  privileges: boolean;
  btf: boolean;
  /** new enough for BPF ring buffers */
  kernel: boolean;
  /** the native addon is built */
  addon: boolean;
}

const PREREQUISITES: Record<Need, (keyof Omit<Host, 'required'>)[]> = {
  root: ['root'],
  // Kernel suites also build namespaces and run fixtures as other users.
  bpf: ['root', 'privileges', 'btf', 'kernel', 'addon'],
};

/** The prerequisites of `need` this host lacks. */
export function missing(need: Need, host: Host): string[] {
  return PREREQUISITES[need].filter((p) => !host[p]);
}

export function decide(need: Need, host: Host): 'run' | 'skip' {
  return host.required || missing(need, host).length === 0 ? 'run' : 'skip';
}

export function thisHost(): Host {
  return {
    required: process.env.NETLADDER_REQUIRE_BPF === '1',
    root: process.getuid?.() === 0,
    privileges: privilegeCheck().ok,
    btf: btfCheck().ok,
    kernel: kernelCheck().ok,
    addon: existsSync(ADDON_PATH),
  };
}

const host = thisHost();
const gate = (need: Need) => (decide(need, host) === 'run' ? describe : describe.skip);

/** A suite that needs root (network namespaces, other users). */
export const needsRoot = gate('root');
/** A suite that loads BPF programs. */
export const needsBpf = gate('bpf');
