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

// bpftrace runs BEGIN once every probe is attached: that line, not
// "Attaching N probes..." (printed before attaching), says it is live.
const READY = 'nl-oracle-ready';

export async function startOracle(program: string): Promise<Oracle> {
  const proc = spawn('bpftrace', ['-e', `BEGIN { printf("${READY}\\n"); } ${program}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  proc.on('exit', () => running.delete(proc));
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  // Attaching a syscall tracepoint waits for an RCU grace period, which a
  // busy kernel can stretch to many seconds.
  const deadline = Date.now() + 45_000;
  while (!out.includes(READY)) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`bpftrace did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    async stop() {
      proc.kill('SIGINT');
      await within(once(proc, 'exit'), 30_000, 'bpftrace stopping', () => {
        proc.kill('SIGKILL');
        return `stdout: ${out.slice(-500)} stderr: ${err.slice(-500)}`;
      });
      const maps: Record<string, number> = {};
      for (const m of out.matchAll(/^(@\w+(?:\[[^\]]*\])?): (\d+)$/gm)) maps[m[1]!] = Number(m[2]);
      return maps;
    },
  };
}
