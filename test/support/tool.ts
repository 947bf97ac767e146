// Ordinary programs (dig, curl, getent, openssl) run as a user would run
// them, inside a test's namespace; the pid is known from the spawn, since
// `ip netns exec` execs the program in place.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { within } from './wait.js';

export interface ToolRun {
  pid: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runTool(argv: string[], opts: { netns?: string; ms?: number } = {}): Promise<ToolRun> {
  const [cmd, ...args] = opts.netns ? ['ip', 'netns', 'exec', opts.netns, ...argv] : argv;
  const p = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await within(once(p, 'exit'), opts.ms ?? 20_000, `${argv.join(' ')}`, () => {
    p.kill('SIGKILL');
    return stderr;
  })) as [number | null];
  return { pid: p.pid!, code, stdout, stderr };
}
