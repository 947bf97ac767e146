#!/usr/bin/env node
// Where a refused-connect storm's overhead goes, kernel side: the storm's
// rate with subsets of netladder's programs attached (details rate-limited
// to 1/s, JS doing nothing), each divided by its rate alone, from
// alternating runs; and the kernel's own run-time statistics per program
// (kernel.bpf_stats_enabled) with everything attached.
//
// Usage: npm run build && node bench/program-cost.mjs [--pairs 4] [--seconds 3]
// Writes bench/results/program-cost.{json,md}.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { closedPort, compile, here, median } from './lib.mjs';

const { values: opt } = parseArgs({
  options: {
    pairs: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '3' },
    child: { type: 'string' },
  },
});

if (opt.child !== undefined) {
  // The monitor side: attach what we are told, drop every batch.
  const { loadAddon } = await import('../dist/kernel/addon.js');
  const a = loadAddon();
  a.ensureTracefs();
  const m = new a.Monitor(JSON.parse(opt.child));
  const status = m.start(() => {});
  process.stderr.write(`attached ${status.filter((p) => p.attached).map((p) => p.name).join(',')}\n`);
  process.on('SIGINT', async () => {
    await m.close();
    process.exit(0);
  });
  setInterval(() => {}, 1 << 30);
} else {
  await main();
}

async function main() {
  const pairs = Number(opt.pairs);
  const seconds = Number(opt.seconds);
  const [storm] = compile('storm');
  const port = await closedPort();
  const runStorm = () => {
    const [n, t] = execFileSync(storm, [String(port), String(seconds)], { encoding: 'utf8' }).trim().split(' ').map(Number);
    return n / t;
  };

  const VARIANTS = (only) => ({
    'one syscall tracepoint that never fires (nl_bind_exit): the syscall slow path alone': only('nl_bind_exit'),
    'all programs': [],
    'all but nl_connect_exit': ['nl_connect_exit'],
    'all but nl_set_state (ownership, TIME_WAIT)': ['nl_set_state'],
    'all but nl_reset_recv and nl_reset_send': ['nl_reset_recv', 'nl_reset_send'],
  });

  async function start(disable) {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', JSON.stringify({ rateLimit: 1, disable })], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    while (!/attached/.test(err)) {
      if (p.exitCode !== null) throw new Error(err);
      await new Promise((r) => setTimeout(r, 20));
    }
    return { p, attached: /attached (.*)/.exec(err)[1].split(',') };
  }
  async function stop(m) {
    m.p.kill('SIGINT');
    await once(m.p, 'exit');
  }

  // Which programs there are: whatever attaches with nothing disabled.
  const probe = await start([]);
  await stop(probe);
  const variants = VARIANTS((...keep) => probe.attached.filter((n) => !keep.includes(n)));

  const ratios = {};
  for (const [name, disable] of Object.entries(variants)) {
    const r = [];
    let attached = [];
    for (let i = 0; i < pairs; i++) {
      const alone = runStorm();
      const m = await start(disable);
      attached = m.attached;
      const watched = runStorm();
      await stop(m);
      r.push(watched / alone);
      process.stderr.write(`${name}: pair ${i + 1}: ${(watched / alone).toFixed(3)}\n`);
    }
    ratios[name] = { median: median(r), min: Math.min(...r), max: Math.max(...r), attached };
  }

  // Per-program cost as the kernel measures it (adds its own clock reads).
  const stats = {};
  const was = readFileSync('/proc/sys/kernel/bpf_stats_enabled', 'utf8').trim();
  writeFileSync('/proc/sys/kernel/bpf_stats_enabled', '1');
  try {
    const m = await start([]);
    const connects = runStorm() * seconds;
    const progs = JSON.parse(execFileSync('bpftool', ['prog', 'show', '-j'], { encoding: 'utf8' }));
    for (const p of progs) {
      // By name: run this on a quiet machine, with no other netladder loaded.
      if (!m.attached.includes(p.name) || !p.run_cnt) continue;
      stats[p.name] = { runsPerConnect: p.run_cnt / connects, nsPerRun: p.run_time_ns / p.run_cnt, nsPerConnect: p.run_time_ns / connects };
    }
    await stop(m);
  } finally {
    writeFileSync('/proc/sys/kernel/bpf_stats_enabled', was);
  }

  const command = `node bench/program-cost.mjs --pairs ${pairs} --seconds ${seconds}`;
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, kernel: os.release() };
  writeFileSync(join(here, 'results', 'program-cost.json'), `${JSON.stringify({ date: new Date().toISOString(), command, machine, ratios, stats }, null, 2)}\n`);
  const f = (x) => x.toFixed(3);
  const md = [
    `## Where the kernel-side cost goes (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Refused-connect storm (bench/storm.c), ${pairs} alternating pairs of ${seconds} s; details rate-limited to 1/s and dropped, so only kernel work is measured.`,
    `${machine.cpus} CPUs (${machine.cpu}), Linux ${machine.kernel}. Command: \`${command}\``,
    '',
    '| programs attached | ratio (median) | min | max |',
    '|---|---|---|---|',
    ...Object.entries(ratios).map(([n, r]) => `| ${n} | ${f(r.median)} | ${f(r.min)} | ${f(r.max)} |`),
    '',
    '| program (all attached, bpf_stats) | runs per connect | ns per run | ns per connect |',
    '|---|---|---|---|',
    ...Object.entries(stats)
      .sort((a, b) => b[1].nsPerConnect - a[1].nsPerConnect)
      .map(([n, s]) => `| ${n} | ${s.runsPerConnect.toFixed(2)} | ${s.nsPerRun.toFixed(0)} | ${s.nsPerConnect.toFixed(0)} |`),
    '',
  ].join('\n');
  writeFileSync(join(here, 'results', 'program-cost.md'), md);
  process.stdout.write(md);
}
