// bpftrace as an independent view of the kernel: it counts raw tracepoint
// hits for the same workload, so netladder's totals can be checked against
// something that does not share its code.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { within } from './wait.js';

export interface Oracle {
  /** Stops bpftrace and returns its maps: "@name" -> value, and
   *  "@name[key]" -> value for keyed maps. */
  stop(): Promise<Record<string, number>>;
}

// A test that fails or times out between start and stop must not leave
// bpftrace attached: whatever is still running goes when the worker exits.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

export async function startOracle(program: string): Promise<Oracle> {
  const proc = spawn('bpftrace', ['-e', program], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  proc.on('exit', () => running.delete(proc));
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const deadline = Date.now() + 20_000;
  while (!out.includes('Attaching')) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`bpftrace did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // "Attaching N probes..." is printed before the probes are live.
  await new Promise((r) => setTimeout(r, 500));
  return {
    async stop() {
      proc.kill('SIGINT');
      await within(once(proc, 'exit'), 15_000, 'bpftrace stopping', () => {
        proc.kill('SIGKILL');
        return `stdout: ${out.slice(-500)} stderr: ${err.slice(-500)}`;
      });
      const maps: Record<string, number> = {};
      for (const m of out.matchAll(/^(@\w+(?:\[[^\]]*\])?): (\d+)$/gm)) maps[m[1]!] = Number(m[2]);
      return maps;
    },
  };
}
