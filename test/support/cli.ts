// netladder commands as a user runs them, from the built dist/.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { until } from './wait.js';

export const CLI = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));

export class Running {
  readonly proc: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';

  /** `launch`: what runs the CLI (another user's capsh, say), then args. */
  constructor(args: string[], launch: string[] = [process.execPath, CLI]) {
    const [command, ...before] = launch;
    this.proc = spawn(command!, [...before, ...args], { stdio: 'pipe' });
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
