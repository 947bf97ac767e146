#!/usr/bin/env node
// What the DNS and TLS programs cost the traffic they watch: alternating
// runs of each workload with no monitor (A), netladder without its DNS/TLS
// programs (B) and with everything (C), in rotation, so drift hits all
// three alike. The figure that matters is C/B: the price of the new
// programs on top of the rest.
//
// Workloads: a refused-connect storm (bench/storm.c, the usual one), UDP
// ping-pong on a port that is not DNS (every send and receive meets the
// socket tracepoints and is turned away), and the same on port 53 with DNS
// messages (every round is a query remembered and an answer matched).
//
// Usage: node bench/names-overhead.mjs [--rounds 5] [--seconds 2]
// Writes bench/results/names-overhead.json and .md.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { closedPort, compile, here, median } from './lib.mjs';

const { values: opt } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, seconds: { type: 'string', default: '2' } },
});
const rounds = Number(opt.rounds);
const seconds = Number(opt.seconds);
const [storm, udpStorm] = compile('storm', 'udp-storm');

// The UDP workloads run in a namespace of their own (port 53 is free there).
const ns = `nlb-names-${process.pid}`;
execFileSync('ip', ['netns', 'add', ns]);
execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
const cleanup = () => {
  try {
    execFileSync('ip', ['netns', 'del', ns]);
  } catch {
    // gone
  }
};
process.on('exit', cleanup);

function rate(argv) {
  const [n, t] = execFileSync(argv[0], argv.slice(1), { encoding: 'utf8' }).trim().split(' ');
  return Number(n) / Number(t);
}

const port = await closedPort();
const workloads = {
  'refused connects (storm.c)': () => rate([storm, String(port), String(seconds)]),
  'UDP ping-pong, port 5300 (not DNS)': () => rate(['ip', 'netns', 'exec', ns, udpStorm, '5300', String(seconds)]),
  'UDP ping-pong, port 53 (DNS query + answer)': () => rate(['ip', 'netns', 'exec', ns, udpStorm, '53', String(seconds)]),
};

async function withMonitor(args, fn) {
  const p = spawn(process.execPath, [join(here, 'monitor.mjs'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  while (!err.includes('watching')) {
    if (p.exitCode !== null) throw new Error(`monitor exited: ${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const r = fn();
  p.kill('SIGINT');
  await once(p, 'exit');
  return r;
}


const results = {};
for (const [name, run] of Object.entries(workloads)) {
  const a = [];
  const b = [];
  const c = [];
  for (let i = 0; i < rounds; i++) {
    a.push(run());
    b.push(await withMonitor(['--without-names'], run));
    c.push(await withMonitor([], run));
    process.stderr.write(`${name}: round ${i + 1}: none ${a.at(-1).toFixed(0)}/s, without DNS/TLS ${b.at(-1).toFixed(0)}/s, all ${c.at(-1).toFixed(0)}/s\n`);
  }
  const cb = c.map((x, i) => x / b[i]);
  results[name] = {
    rateAlone: median(a),
    ratioWithout: median(b.map((x, i) => x / a[i])),
    ratioAll: median(c.map((x, i) => x / a[i])),
    allOverWithout: { median: median(cb), min: Math.min(...cb), max: Math.max(...cb) },
    runs: { none: a, without: b, all: c },
  };
}

const machine = `${os.cpus().length} CPUs (${os.cpus()[0]?.model}), Linux ${os.release()}, Node ${process.version}`;
const command = `node bench/names-overhead.mjs --rounds ${rounds} --seconds ${seconds}`;
writeFileSync(join(here, 'results', 'names-overhead.json'), `${JSON.stringify({ date: new Date().toISOString(), machine, command, results }, null, 2)}\n`);
const fmt = (x) => x.toFixed(3);
const md = [
  `# Cost of the DNS and TLS programs (${new Date().toISOString().slice(0, 10)})`,
  '',
  `${machine}. Command: \`${command}\`. Medians of ${rounds} rotations of ${seconds} s runs: no monitor, netladder without`,
  'its DNS/TLS programs, netladder with everything. "all / without" isolates what the new programs add.',
  '',
  '| workload | rate alone | without DNS/TLS | all programs | all / without (median, min–max) |',
  '|---|---|---|---|---|',
  ...Object.entries(results).map(([n, r]) =>
    `| ${n} | ${r.rateAlone.toFixed(0)}/s | ${fmt(r.ratioWithout)} | ${fmt(r.ratioAll)} | ${fmt(r.allOverWithout.median)} (${fmt(r.allOverWithout.min)}–${fmt(r.allOverWithout.max)}) |`),
  '',
];
writeFileSync(join(here, 'results', 'names-overhead.md'), md.join('\n'));
process.stdout.write(md.join('\n'));
