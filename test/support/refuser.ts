// A child that makes refused loopback connects on cue, so a test knows its
// pid before it fails: sockets.py refuse, where each line "N" on stdin makes
// N blocking connects to a closed port and answers "done <errno names>".
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { FIXTURES, PYTHON } from './child.js';

export class Refuser {
  readonly pid: number;
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;

  constructor(port: number, readonly comm: string) {
    this.proc = spawn(PYTHON, [`${FIXTURES}sockets.py`, 'refuse', String(port), comm], { stdio: 'pipe' });
    this.pid = this.proc.pid!;
    this.lines = createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }

  private async line(): Promise<string> {
    const r = await this.lines.next();
    if (r.done) throw new Error(`refuser ${this.pid} ended early`);
    return r.value;
  }

  async ready(): Promise<void> {
    const l = await this.line();
    if (l !== 'ready') throw new Error(`refuser said ${l}`);
  }

  /** n refused connects; resolves with the errno of each. */
  async fail(n: number): Promise<string[]> {
    this.proc.stdin.write(`${n}\n`);
    const l = await this.line();
    return l.slice(5).split(',');
  }

  async end(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    this.proc.stdin.end();
    await once(this.proc, 'exit');
  }

  kill(): void {
    this.proc.kill('SIGKILL');
  }
}
