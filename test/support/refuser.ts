// A child that makes refused loopback connects on cue, so a test knows its
// pid before it fails. Each line "N" on stdin makes N blocking connects to a
// closed port and answers "done <errno names>"; end of stdin ends it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const SCRIPT = `
import ctypes, errno, socket, sys
ctypes.CDLL(None).prctl(15, sys.argv[2].encode(), 0, 0, 0)
port = int(sys.argv[1])
print("ready", flush=True)
for line in sys.stdin:
    seen = []
    for _ in range(int(line)):
        s = socket.socket()
        try:
            s.connect(("127.0.0.1", port))
            seen.append("OK")
        except OSError as e:
            seen.append(errno.errorcode.get(e.errno, str(e.errno)))
        finally:
            s.close()
    print("done " + ",".join(seen), flush=True)
`;

export class Refuser {
  readonly pid: number;
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;

  constructor(port: number, readonly comm: string) {
    this.proc = spawn('/usr/bin/python3', ['-c', SCRIPT, String(port), comm], { stdio: 'pipe' });
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
