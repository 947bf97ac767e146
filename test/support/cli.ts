// netladder commands as a user runs them, from the built dist/.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { until } from './wait.js';

export const CLI = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));

export class Running {
  readonly proc: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';

  /** `wrapper`: a command that execs netladder, as `prlimit --nofile=N --`. */
  constructor(args: string[], wrapper: string[] = []) {
    const [cmd, ...argv] = [...wrapper, process.execPath, CLI, ...args];
    this.proc = spawn(cmd!, argv, { stdio: 'pipe' });
    this.proc.stdout.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }

  /** Waits until stderr matches, or fails with what it said if it exits. */
  async said(re: RegExp, ms = 20_000): Promise<RegExpExecArray> {
    return until(
      `netladder to say ${re}`,
      () => {
        const m = re.exec(this.stderr);
        if (m) return m;
        if (this.proc.exitCode !== null) throw new Error(`exited ${this.proc.exitCode}: ${this.stderr}`);
        return undefined;
      },
      ms,
      50,
    );
  }

  /** Waits until the command holds BPF links (its programs are attached),
   *  seen from outside in /proc/PID/fd, for commands that say nothing when
   *  they are ready (top --once). The loader attaches every link in one go,
   *  so the count is read until it stops growing. */
  async attached(ms = 20_000): Promise<number> {
    const links = () => {
      if (this.proc.exitCode !== null) throw new Error(`exited ${this.proc.exitCode}: ${this.stderr}`);
      let n = 0;
      for (const fd of readdirSync(`/proc/${this.proc.pid}/fd`)) {
        try {
          if (readlinkSync(`/proc/${this.proc.pid}/fd/${fd}`) === 'anon_inode:bpf_link') n++;
        } catch {
          // closed between the listing and the read
        }
      }
      return n;
    };
    let last = 0;
    return until(
      'the command to attach its programs',
      () => {
        const n = links();
        const settled = n > 0 && n === last;
        last = n;
        return settled ? n : undefined;
      },
      ms,
      200,
    );
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.proc.exitCode !== null) return this.proc.exitCode;
    const exited = once(this.proc, 'exit');
    this.proc.kill(signal);
    const [code] = await exited;
    return code as number | null;
  }
}

/** Runs a command to the end: exit code, stdout, stderr. */
export async function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe', env });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = await once(p, 'exit');
  return { code: code as number | null, stdout, stderr };
}
