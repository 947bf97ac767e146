#!/usr/bin/env node
// netladder's benchmarks: what watching a failing machine costs, measured as
// ratios between runs made side by side (A alone, B with a monitor, A B A B ...),
// with the peers from Debian measured in the same run.
//
// Usage: npm run bench -- [--pairs 4] [--seconds 3] [--quick]
// Writes bench/results/latest.json and bench/results/latest.md.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { closedPort, compile, here, median } from './lib.mjs';
import { cli, cpuSeconds, monitors as monitorsFor, scrape, stop } from './monitors.mjs';

const root = join(here, '..');
const { values: opt } = parseArgs({
  options: {
    pairs: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
  },
});
const pairs = Number(opt.pairs);
const seconds = Number(opt.seconds);
const log = (s) => process.stderr.write(`${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

compile('storm', 'mixed-storm', 'fork-storm');

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

// ---- storms: each returns operations per second -------------------------

// The last storm's processes and their connect counts, to check the
// monitor's counts against.
let lastStorm = [];

function runC(prog, port) {
  const [cmd, args] = prog.endsWith('.py') ? ['/usr/bin/python3', [join(here, prog)]] : [join(here, 'tmp', prog), []];
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, [...args, String(port), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${prog} exited ${code}`));
      const [n, t] = out.trim().split(' ').map(Number);
      lastStorm.push({ pid: p.pid, connects: n });
      resolve(n / t);
    });
  });
}

const storms = {
  'refused, 1 process': (port) => runC('storm', port),
  'refused, 2 processes': async (port) => (await Promise.all([runC('storm', port), runC('storm', port)])).reduce((a, b) => a + b),
  'mixed (refused, resets, TIME_WAIT)': (port) => runC('mixed-storm', port),
  // The same loop from an interpreter (Python's socket module): a client
  // that spends some time of its own between connects.
  'refused, 1 Python process': (port) => runC('storm.py', port),
};

// ---- monitors: started before a B run, stopped after --------------------

const monitors = monitorsFor();

/** Each storm process's netladder_events_total{connect_error,ECONNREFUSED}
 *  as serve reports it, against the connects the process counted itself. */
async function countsMatch(m, procs) {
  await sleep(300); // let the counters settle: serve reads them at scrape
  const text = await scrape(m);
  return procs.map(({ pid, connects }) => {
    const re = new RegExp(`^netladder_events_total\\{event="connect_error",errno="ECONNREFUSED",pid="${pid}",[^}]*\\} (\\d+)$`, 'm');
    const seen = Number(re.exec(text)?.[1] ?? 0);
    return { pid, connects, counted: seen, ok: seen === connects };
  });
}

// ---- the storm ratios ----------------------------------------------------

const port = await closedPort();
const ratios = {};
const agent = {};
for (const [stormName, storm] of Object.entries(storms)) {
  if (opt.quick && stormName !== 'refused, 1 process') continue;
  ratios[stormName] = {};
  for (const [monName, start] of Object.entries(monitors)) {
    const runs = [];
    for (let i = 0; i < pairs; i++) {
      const alone = await storm(port);
      const m = await start();
      const cpu0 = cpuSeconds(m.p.pid);
      lastStorm = [];
      const watched = await storm(port);
      const cpu1 = cpuSeconds(m.p.pid);
      // serve: do its counts match what the storm's processes did?
      const exact = monName === 'netladder serve' && stormName.startsWith('refused') ? await countsMatch(m, lastStorm) : undefined;
      await stop(m);
      runs.push({ alone, watched, ratio: watched / alone, monitorCpuS: cpu1 - cpu0, exact, summary: m.output().trim().split('\n').pop() });
      log(`${stormName} | ${monName} | pair ${i + 1}: ratio ${(watched / alone).toFixed(3)}`);
    }
    ratios[stormName][monName] = {
      median: median(runs.map((r) => r.ratio)),
      min: Math.min(...runs.map((r) => r.ratio)),
      max: Math.max(...runs.map((r) => r.ratio)),
      aloneRate: median(runs.map((r) => r.alone)),
      runs,
    };
  }
}

// ---- agent figures: CPU per million, losses, latency, RSS, start ---------

{
  // CPU per million failures, from the refused storm under watch: one
  // connect_error per connect (the loopback reset is not a second event).
  const r = ratios['refused, 1 process']['netladder watch --json >/dev/null'].runs;
  const perMillion = r.map((x) => x.monitorCpuS / ((x.watched * seconds) / 1e6));
  agent.cpuSecondsPerMillion = median(perMillion);
  agent.eventsPerSecondIntoJs = median(r.map((x) => x.watched));
  agent.watchSummary = r.at(-1).summary;
}
{
  // Kernel-to-watch latency: a paced workload, each line timed on arrival.
  const p = spawn(process.execPath, [cli, 'watch', '--json', '--event', 'connect_error'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  while (!/watching/.test(err)) await sleep(10);
  const lat = [];
  let buf = '';
  p.stdout.on('data', (d) => {
    const now = Date.now();
    buf += d;
    const lines = buf.split('\n');
    buf = lines.pop();
    for (const l of lines) lat.push(now - Date.parse(JSON.parse(l).time));
  });
  const paced = `import socket, time
for i in range(400):
    s = socket.socket()
    try: s.connect(("127.0.0.1", ${port}))
    except OSError: pass
    s.close()
    time.sleep(0.01)`;
  // Spawned, not run synchronously: the lines must be timed as they arrive.
  const w = spawn('/usr/bin/python3', ['-c', paced], { stdio: 'ignore' });
  await once(w, 'exit');
  await sleep(500);
  p.kill('SIGINT');
  await once(p, 'exit');
  agent.latencyMs = { samples: lat.length, p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), max: Math.max(...lat) };
}
{
  const starts = [];
  let rss = NaN;
  for (let i = 0; i < 5; i++) {
    const m = await monitors['netladder watch --json >/dev/null']();
    starts.push(m.startMs);
    if (i === 0) {
      await sleep(2000);
      rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${m.p.pid}/status`, 'utf8'))[1]) / 1024;
    }
    await stop(m);
  }
  agent.startToAttachedMs = { median: median(starts), max: Math.max(...starts) };
  agent.watchIdleRssMiB = rss;
}

{
  // The JS pipeline alone (decode, place, format), no kernel: its ceiling.
  const out = execFileSync(process.execPath, [join(here, 'pipeline-throughput.mjs')], { encoding: 'utf8' });
  agent.pipelineEventsPerSecond = Number(/^(\d+) events\/s/.exec(out)[1]);
}
{
  // serve: CPU per million failures during the refused storm, and whether
  // every count matched.
  const r = ratios['refused, 1 process']['netladder serve']?.runs ?? [];
  if (r.length) {
    agent.serveCpuSecondsPerMillion = median(r.map((x) => x.monitorCpuS / ((x.watched * seconds) / 1e6)));
    const checks = Object.values(ratios).flatMap((ms) => ms['netladder serve']?.runs ?? []).flatMap((x) => x.exact ?? []);
    agent.serveCountsExact = { processes: checks.length, matched: checks.filter((c) => c.ok).length };
  }
}
{
  // serve holding 10,000 processes: each child of fork-storm fails once and
  // exits; RSS is read after scrapes, the worst of several readings.
  const m = await monitors['netladder serve']();
  await sleep(2000);
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${m.p.pid}/status`, 'utf8'))[1]) / 1024;
  const idle = rss();
  execFileSync(join(here, 'tmp', 'fork-storm'), [String(port), '10000']);
  await sleep(2000);
  let worst = 0;
  let tracked = NaN;
  let total = 0;
  for (let i = 0; i < 5; i++) {
    const text = await scrape(m);
    tracked = Number(/^netladder_tracked_processes (\d+)$/m.exec(text)?.[1]);
    total = [...text.matchAll(/^netladder_events_total\{[^}]*comm="fork-storm"\} (\d+)$/gm)].reduce((a, x) => a + Number(x[1]), 0);
    await sleep(1000);
    worst = Math.max(worst, rss());
  }
  await stop(m);
  agent.serveRss = { idleMiB: idle, with10kMiB: worst, trackedProcesses: tracked, forkStormFailuresCounted: total };
}

// ---- results -------------------------------------------------------------

const machine = {
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model,
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  kernel: os.release(),
  node: process.version,
};
const command = `npm run bench -- --pairs ${pairs} --seconds ${seconds}${opt.quick ? ' --quick' : ''}`;
const result = { date: new Date().toISOString(), command, machine, pairs, seconds, ratios, agent };
writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);

const f3 = (x) => x.toFixed(3);
const md = [
  `## Benchmarks (${result.date.slice(0, 10)})`,
  '',
  `${machine.cpus} CPUs (${machine.cpu}), ${machine.memGiB} GiB, Linux ${machine.kernel}, Node ${machine.node}.`,
  `Command: \`${command}\`. Each ratio is the storm's rate with the monitor running divided by its rate alone,`,
  `from ${pairs} alternating pairs of ${seconds} s runs (median, with min and max).`,
  '',
  '| storm | monitor | ratio (median) | min | max | rate alone |',
  '|---|---|---|---|---|---|',
  ...Object.entries(ratios).flatMap(([s, ms]) =>
    Object.entries(ms).map(([m, r]) => `| ${s} | ${m} | ${f3(r.median)} | ${f3(r.min)} | ${f3(r.max)} | ${Math.round(r.aloneRate)}/s |`),
  ),
  '',
  '| agent (netladder watch --json) | value |',
  '|---|---|',
  `| failures/s delivered to JS during the storm | ${Math.round(agent.eventsPerSecondIntoJs)} |`,
  `| exit summary of the last storm run | ${agent.watchSummary.replace(/\|/g, '/')} |`,
  `| JS pipeline alone (decode, ladder, JSON line; no kernel), one core | ${agent.pipelineEventsPerSecond} events/s |`,
  `| agent CPU per million failures | ${agent.cpuSecondsPerMillion.toFixed(2)} s |`,
  `| kernel-to-watch latency p50 / p99 / max (${agent.latencyMs.samples} events, paced) | ${agent.latencyMs.p50} / ${agent.latencyMs.p99} / ${agent.latencyMs.max} ms |`,
  `| start to attached (process spawn to "watching"), median / max of 5 | ${Math.round(agent.startToAttachedMs.median)} / ${Math.round(agent.startToAttachedMs.max)} ms |`,
  `| RSS at idle | ${agent.watchIdleRssMiB.toFixed(1)} MiB |`,
  '',
  '| agent (netladder serve) | value |',
  '|---|---|',
  ...(agent.serveCpuSecondsPerMillion !== undefined
    ? [
        `| agent CPU per million failures (refused storm) | ${agent.serveCpuSecondsPerMillion.toFixed(3)} s |`,
        `| storm processes whose count in /metrics equals their own count of connects | ${agent.serveCountsExact.matched} of ${agent.serveCountsExact.processes} |`,
      ]
    : []),
  `| RSS at idle | ${agent.serveRss.idleMiB.toFixed(1)} MiB |`,
  `| RSS with ${agent.serveRss.trackedProcesses} tracked processes (fork-storm: 10,000 children fail once each; ${agent.serveRss.forkStormFailuresCounted} counted), worst of 5 scrapes | ${agent.serveRss.with10kMiB.toFixed(1)} MiB |`,
  '',
].join('\n');
writeFileSync(join(here, 'results', 'latest.md'), md);
// The README shows the latest figures, between its bench markers.
{
  const readme = join(root, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const [open, close] = ['<!-- bench:start -->', '<!-- bench:end -->'];
  const a = text.indexOf(open);
  const b = text.indexOf(close);
  if (a >= 0 && b > a) writeFileSync(readme, `${text.slice(0, a + open.length)}\n${md.replace(/^## .*\n\n/, '')}${text.slice(b)}`);
}
process.stdout.write(md);
