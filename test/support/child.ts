// Children that make failures on cue. Each fixture prints "ready ..." once
// set up, waits for "go" on stdin, does its work, prints "done ..." and
// exits; so the test knows its pid before anything happens and can start an
// oracle in between.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { within } from './wait.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const PYTHON = '/usr/bin/python3';

const live = new Set<Child>();
process.on('exit', () => {
  for (const c of live) c.kill();
});

export class Child {
  readonly pid: number;
  readonly ready: Promise<string>;
  readonly done: Promise<string>;
  readonly exited: Promise<number | null>;
  private readonly proc: ChildProcessWithoutNullStreams;
  stderr = '';
  stdout = '';

  constructor(
    readonly argv: string[],
    opts: { netns?: string; uid?: number } = {},
  ) {
    const [cmd, ...args] = opts.netns ? ['ip', 'netns', 'exec', opts.netns, ...argv] : argv;
    // `ip netns exec` execs the command in place, so the pid stays the same.
    this.proc = spawn(cmd!, args, { stdio: 'pipe', uid: opts.uid, gid: opts.uid });
    this.pid = this.proc.pid!;
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    const lines = createInterface({ input: this.proc.stdout });
    let readyResolve!: (s: string) => void;
    let doneResolve!: (s: string) => void;
    this.ready = new Promise((r) => (readyResolve = r));
    this.done = new Promise((r) => (doneResolve = r));
    lines.on('line', (l) => {
      this.stdout += `${l}\n`;
      if (l.startsWith('ready')) readyResolve(l.slice(5).trim());
      if (l.startsWith('done')) doneResolve(l.slice(4).trim());
    });
    live.add(this);
    this.exited = once(this.proc, 'exit').then(([code]) => {
      live.delete(this);
      return code as number | null;
    });
    this.exited.then(() => {
      readyResolve('');
      doneResolve('');
    });
  }

  go(): void {
    this.proc.stdin.write('go\n');
  }

  /** go, then wait for the work to finish; rejects with the child's stderr
   *  on failure, and says where it stood if it takes longer than `ms`. */
  async run(ms = 30_000): Promise<string> {
    this.go();
    const out = await within(this.done, ms, `fixture ${this.pid} (${this.argv.join(' ')})`, () => this.diagnose());
    const code = await within(this.exited, 5000, `fixture ${this.pid} exit`, () => this.diagnose());
    if (code !== 0) throw new Error(`fixture ${this.pid} exited ${code}: ${this.stderr}`);
    return out;
  }

  /** Waits for "ready", with the same care. */
  async started(ms = 15_000): Promise<string> {
    return within(this.ready, ms, `fixture ${this.pid} start (${this.argv.join(' ')})`, () => this.diagnose());
  }

  private diagnose(): string {
    let stack = 'gone';
    try {
      stack = readFileSync(`/proc/${this.pid}/stack`, 'utf8').split('\n').slice(0, 4).join(' | ');
    } catch {
      // exited
    }
    this.kill();
    return `kernel stack: ${stack}; stderr: ${this.stderr}`;
  }

  kill(): void {
    this.proc.kill('SIGKILL');
  }
}

/** python3 test/fixtures/sockets.py SUBCOMMAND ARGS... */
export function py(args: (string | number)[], opts: { netns?: string; uid?: number } = {}): Child {
  return new Child([PYTHON, `${FIXTURES}sockets.py`, ...args.map(String)], opts);
}

/** node test/fixtures/async-connect.mjs HOST PORT N: non-blocking connects, as every event loop makes them. */
export function nodeConnect(host: string, port: number, n: number, opts: { netns?: string } = {}): Child {
  return new Child([process.execPath, `${FIXTURES}async-connect.mjs`, host, String(port), String(n)], opts);
}
