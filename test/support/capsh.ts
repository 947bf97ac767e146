// A user made for one test file, and netladder run as that user with exactly
// the capabilities given (ambient, through capsh), as an operator would.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export class TestUser {
  private constructor(readonly name: string) {}

  static create(tag: string): TestUser {
    const name = `nlt-${tag}-${process.pid}`.slice(0, 31);
    execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', name]);
    return new TestUser(name);
  }

  /** capsh as a wrapper for Running, which execs the CLI through it:
   *  `caps` like ['cap_bpf', 'cap_perfmon']. */
  launch(caps: string[]): string[] {
    const set = caps.join(',');
    return ['capsh', '--keep=1', `--user=${this.name}`, `--inh=${set}`, `--addamb=${set}`, '--', '-c', 'exec "$0" "$@"'];
  }

  remove(): void {
    execFileSync('userdel', [this.name]);
  }
}

export interface ThreadStatus {
  tid: string;
  CapInh: bigint;
  CapPrm: bigint;
  CapEff: bigint;
  CapBnd: bigint;
  CapAmb: bigint;
  NoNewPrivs: string;
}

/** The credentials of every thread of `pid`, from /proc/PID/task/<tid>/status. */
export function threadStatuses(pid: number): ThreadStatus[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const s = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
    const field = (k: string) => new RegExp(`^${k}:\\s*(\\S+)$`, 'm').exec(s)?.[1] ?? '';
    const caps = (k: string) => BigInt(`0x${field(k)}`);
    return {
      tid,
      CapInh: caps('CapInh'),
      CapPrm: caps('CapPrm'),
      CapEff: caps('CapEff'),
      CapBnd: caps('CapBnd'),
      CapAmb: caps('CapAmb'),
      NoNewPrivs: field('NoNewPrivs'),
    };
  });
}
