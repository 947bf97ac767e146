#!/usr/bin/env node
// What watching a healthy machine costs: busy workloads that do not fail,
// each run alone and with a monitor, alternating (A B A B ...), as ratios of
// their rates; netladder serve, its peers and the floor (empty programs on
// netladder's own hooks) in the same runs.
//
// Usage: npm run build && node bench/healthy.mjs [--pairs 4] [--seconds 5] [--only NAME,...]
// Writes bench/results/healthy.{json,md}.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compile, here, median } from './lib.mjs';
import { cpuSeconds, monitors as monitorsFor, stop } from './monitors.mjs';

const { values: opt } = parseArgs({
  options: {
    pairs: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '5' },
    only: { type: 'string' },
  },
});
const pairs = Number(opt.pairs);
const seconds = Number(opt.seconds);
const log = (s) => process.stderr.write(`${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const [udpRr, dnsClient, syscalls] = compile('udp-rr', 'dns-client', 'syscalls');

// ---- the servers, started once, before any monitor -----------------------

const tmp = mkdtempSync(join(os.tmpdir(), 'nl-bench-healthy-'));
const HTTP_PORT = 18080;
const NS = 'nlbench-dns';
const children = [];
function background(cmd, args) {
  const p = spawn(cmd, args, { stdio: 'ignore' });
  children.push(p);
  return p;
}
async function until(what, test, ms = 5000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (test()) return;
  throw new Error(`bench: ${what} did not come up in ${ms} ms`);
}
const listening = (args) => execFileSync('ss', args, { encoding: 'utf8' }).trim().length > 0;

writeFileSync(
  join(tmp, 'nginx.conf'),
  `worker_processes 1;
daemon off;
pid ${tmp}/nginx.pid;
error_log ${tmp}/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  server { listen 127.0.0.1:${HTTP_PORT} reuseport; location / { return 200 "ok\\n"; } }
}
`,
);
background('nginx', ['-p', tmp, '-c', join(tmp, 'nginx.conf')]);
await until('nginx', () => listening(['-Hltn', `sport = :${HTTP_PORT}`]));

// The resolver lives in a namespace of its own: DNS never leaves the box.
execFileSync('ip', ['netns', 'add', NS]);
execFileSync('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
background('ip', ['netns', 'exec', NS, 'dnsmasq', '--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts',
  '--bind-interfaces', '--listen-address=127.0.0.1', `--pid-file=${join(tmp, 'dnsmasq.pid')}`, '--user=root',
  '--address=/bench.test/10.1.2.3', '--cache-size=1000']);
await until('dnsmasq', () => listening(['-N', NS, '-Hlun', 'sport = :53']));

function cleanup() {
  for (const p of children) p.kill('SIGTERM');
  try {
    execFileSync('ip', ['netns', 'del', NS]);
  } catch {}
  rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

// ---- the workloads: each returns operations per second --------------------

const rate = (out) => {
  const [n, t] = out.trim().split(' ').map(Number);
  return n / t;
};
async function run(cmd, args) {
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  const [code] = await once(p, 'exit');
  if (code !== 0) throw new Error(`${cmd} exited ${code}`);
  return out;
}
async function wrk(extra) {
  const out = await run('wrk', ['-t1', '-c32', `-d${seconds}s`, ...extra, `http://127.0.0.1:${HTTP_PORT}/`]);
  const errors = /Non-2xx|Socket errors/.exec(out);
  if (errors) throw new Error(`wrk saw errors: ${out}`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
}

const workloads = {
  'HTTP keep-alive (nginx, wrk -c32)': () => wrk([]),
  'HTTP, a new connection per request (nginx, wrk -c32, Connection: close)': () => wrk(['-H', 'Connection: close']),
  'UDP request/response on loopback': async () => rate(await run(udpRr, [String(seconds)])),
  'DNS queries answered by a resolver in a namespace (UDP, no libc)': async () =>
    rate(await run('ip', ['netns', 'exec', NS, dnsClient, '127.0.0.1', 'www.bench.test', String(seconds)])),
  'syscalls, no networking (getppid + write)': async () => rate(await run(syscalls, [String(seconds)])),
};
const monitors = monitorsFor({ watch: false, floor: true });

// ---- the ratios -------------------------------------------------------------

const chosen = opt.only ? opt.only.split(',') : null;
const ratios = {};
for (const [name, load] of Object.entries(workloads)) {
  if (chosen && !chosen.some((c) => name.includes(c))) continue;
  ratios[name] = {};
  for (const [monName, start] of Object.entries(monitors)) {
    const runs = [];
    for (let i = 0; i < pairs; i++) {
      const alone = await load();
      const m = await start();
      const cpu0 = cpuSeconds(m.p.pid);
      const watched = await load();
      const cpu1 = cpuSeconds(m.p.pid);
      await stop(m);
      runs.push({ alone, watched, ratio: watched / alone, monitorCpuS: cpu1 - cpu0 });
      log(`${name} | ${monName} | pair ${i + 1}: ratio ${(watched / alone).toFixed(3)}`);
    }
    const rs = runs.map((r) => r.ratio);
    ratios[name][monName] = {
      median: median(rs),
      min: Math.min(...rs),
      max: Math.max(...rs),
      aloneRate: median(runs.map((r) => r.alone)),
      monitorCpuS: median(runs.map((r) => r.monitorCpuS)),
      runs,
    };
  }
}

// ---- results ----------------------------------------------------------------

const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, kernel: os.release(), node: process.version };
const command = `node bench/healthy.mjs --pairs ${pairs} --seconds ${seconds}${opt.only ? ` --only '${opt.only}'` : ''}`;
const result = { date: new Date().toISOString(), command, machine, pairs, seconds, ratios };
writeFileSync(join(here, 'results', 'healthy.json'), `${JSON.stringify(result, null, 2)}\n`);
const f3 = (x) => x.toFixed(3);
const md = [
  `## Healthy traffic (${result.date.slice(0, 10)})`,
  '',
  `${machine.cpus} CPUs (${machine.cpu}), Linux ${machine.kernel}, Node ${machine.node}.`,
  `Command: \`${command}\` (after \`npm run build\`). Each ratio is the workload's rate with the monitor running`,
  `divided by its rate alone, from ${pairs} alternating pairs of ${seconds} s runs: median, min, max.`,
  "The floor is netladder's own hooks with programs that return at once (bench/floor.c; uprobes left out).",
  '',
  '| workload | monitor | ratio (median) | min | max | rate alone | monitor CPU s per run |',
  '|---|---|---|---|---|---|---|',
  ...Object.entries(ratios).flatMap(([w, ms]) =>
    Object.entries(ms).map(
      ([m, r]) => `| ${w} | ${m} | ${f3(r.median)} | ${f3(r.min)} | ${f3(r.max)} | ${Math.round(r.aloneRate)}/s | ${r.monitorCpuS.toFixed(2)} |`,
    ),
  ),
  '',
].join('\n');
writeFileSync(join(here, 'results', 'healthy.md'), md);
process.stdout.write(md);
