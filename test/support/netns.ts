// Network namespaces the tests build and always remove: all traffic of the
// kernel tests stays on loopback or inside these.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class Netns {
  private etc = false;

  private constructor(readonly name: string) {}

  /** `prefix-tag-pid`; tests of each feature have their own prefix, so
   *  leftovers say whose they are. */
  static create(tag: string, prefix = 'nlt'): Netns {
    const name = `${prefix}-${tag}-${process.pid}`;
    sh('ip', ['netns', 'add', name]);
    const ns = new Netns(name);
    ns.ip('link', 'set', 'lo', 'up');
    return ns;
  }

  ip(...args: string[]): string {
    return sh('ip', ['-n', this.name, ...args]);
  }

  exec(...argv: string[]): string {
    return sh('ip', ['netns', 'exec', this.name, ...argv]);
  }

  sysctl(key: string, value: string): void {
    this.exec('sysctl', '-q', '-w', `${key}=${value}`);
  }

  /** The resolv.conf that `ip netns exec` mounts over /etc/resolv.conf for
   *  processes in this namespace: their resolver asks only who we say. */
  resolvConf(text: string): void {
    const dir = `/etc/netns/${this.name}`;
    mkdirSync(dir, { recursive: true });
    this.etc = true;
    writeFileSync(`${dir}/resolv.conf`, text);
  }

  remove(): void {
    try {
      sh('ip', ['netns', 'del', this.name]);
    } catch {
      // already gone
    }
    if (this.etc) rmSync(`/etc/netns/${this.name}`, { recursive: true, force: true });
  }
}

/** A veth pair with one end in each namespace. */
export function vethPair(a: Netns, aDev: string, b: Netns, bDev: string): void {
  sh('ip', ['link', 'add', aDev, 'netns', a.name, 'type', 'veth', 'peer', 'name', bDev, 'netns', b.name]);
  a.ip('link', 'set', aDev, 'up');
  b.ip('link', 'set', bDev, 'up');
}
