// Network namespaces the tests build and always remove: all traffic of the
// kernel tests stays on loopback or inside these.
import { execFileSync } from 'node:child_process';

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class Netns {
  private constructor(readonly name: string) {}

  static create(tag: string): Netns {
    const name = `nlt-${tag}-${process.pid}`;
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

  remove(): void {
    try {
      sh('ip', ['netns', 'del', this.name]);
    } catch {
      // already gone
    }
  }
}

/** A veth pair with one end in each namespace. */
export function vethPair(a: Netns, aDev: string, b: Netns, bDev: string): void {
  sh('ip', ['link', 'add', aDev, 'netns', a.name, 'type', 'veth', 'peer', 'name', bDev, 'netns', b.name]);
  a.ip('link', 'set', aDev, 'up');
  b.ip('link', 'set', bDev, 'up');
}
