#!/usr/bin/env node
// Storm ratio: the rate of a refused-connect storm with a monitor running,
// divided by the rate without, from alternating runs (A B A B ...) so that
// drift of the machine hits both sides alike.
//
// Usage: node bench/storm-ratio.mjs [--pairs 6] [--seconds 3] [--out NAME]
// Writes bench/results/NAME.json and NAME.md.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values: opt } = parseArgs({
  options: {
    pairs: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '3' },
    out: { type: 'string', default: 'storm-ratio' },
    storm: { type: 'string', default: 'c' },
  },
});
if (!['c', 'python'].includes(opt.storm)) throw new Error('--storm is c or python');
const pairs = Number(opt.pairs);
const seconds = Number(opt.seconds);

mkdirSync(join(here, 'tmp'), { recursive: true });
const storm = join(here, 'tmp', 'storm');
execFileSync('cc', ['-O2', '-o', storm, join(here, 'storm.c')]);

async function closedPort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

function runStorm(port) {
  const [cmd, args] = opt.storm === 'c' ? [storm, []] : ['/usr/bin/python3', [join(here, 'storm.py')]];
  const [n, t] = execFileSync(cmd, [...args, String(port), String(seconds)], { encoding: 'utf8' }).trim().split(' ');
  return Number(n) / Number(t);
}

// Each monitor: how to start it, and how to know it is attached.
const monitors = {
  ...(process.env.NL_BENCH_EXTRA ? {
    'kernel only (JS drops batches)': () => ({ cmd: process.execPath, args: ['/tmp/konly.mjs'], ready: /watching/ }),
    'kernel only, rate-limited 1/s': () => ({ cmd: process.execPath, args: ['/tmp/konly.mjs', 'limited'], ready: /watching/ }),
  } : {}),
  'netladder watch --json >/dev/null': () => ({
    cmd: process.execPath,
    args: [join(root, 'dist/cli/index.js'), 'watch', '--json'],
    ready: /watching/,
  }),
};

async function startMonitor(spec) {
  const p = spawn(spec.cmd, spec.args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  while (!spec.ready.test(err)) {
    if (p.exitCode !== null) throw new Error(`monitor exited: ${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { p, stderr: () => err };
}

async function stopMonitor(m) {
  m.p.kill('SIGINT');
  await once(m.p, 'exit');
  return m.stderr();
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const port = await closedPort();
const results = {};
for (const [name, make] of Object.entries(monitors)) {
  const ratios = [];
  const runs = [];
  let summary = '';
  for (let i = 0; i < pairs; i++) {
    const alone = runStorm(port);
    const m = await startMonitor(make());
    const watched = runStorm(port);
    summary = await stopMonitor(m);
    runs.push({ alone, watched });
    ratios.push(watched / alone);
    process.stderr.write(`${name}: pair ${i + 1}: ${alone.toFixed(0)}/s alone, ${watched.toFixed(0)}/s watched, ratio ${(watched / alone).toFixed(3)}\n`);
  }
  results[name] = {
    median: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    medianRateAlone: median(runs.map((r) => r.alone)),
    runs,
    lastSummary: summary.trim().split('\n').pop(),
  };
}

const machine = {
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model,
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  kernel: os.release(),
  node: process.version,
};
const command = `node bench/storm-ratio.mjs --storm ${opt.storm} --pairs ${pairs} --seconds ${seconds} --out ${opt.out}`;
const out = { date: new Date().toISOString(), command, machine, seconds, pairs, results };
writeFileSync(join(here, 'results', `${opt.out}.json`), `${JSON.stringify(out, null, 2)}\n`);
const md = [
  `# Storm ratio (${out.date.slice(0, 10)})`,
  '',
  `Refused-connect storm on loopback (${opt.storm === 'c' ? 'bench/storm.c' : 'bench/storm.py'}), ${pairs} alternating pairs of ${seconds} s runs.`,
  `Machine: ${machine.cpus} CPUs (${machine.cpu}), ${machine.memGiB} GiB, Linux ${machine.kernel}, Node ${machine.node}.`,
  `Command: \`${command}\``,
  '',
  '| monitor | median ratio | min | max | storm rate alone (median) |',
  '|---|---|---|---|---|',
  ...Object.entries(results).map(
    ([n, r]) => `| ${n} | ${r.median.toFixed(3)} | ${r.min.toFixed(3)} | ${r.max.toFixed(3)} | ${Math.round(r.medianRateAlone)}/s |`,
  ),
  '',
].join('\n');
writeFileSync(join(here, 'results', `${opt.out}.md`), md);
process.stdout.write(md);
