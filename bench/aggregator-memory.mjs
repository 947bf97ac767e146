// Memory of the aggregator holding 10,000 processes (or argv[2]), each with
// two failure series, live rate windows and five recent events, as `top`
// and `serve` would hold them after a storm of short-lived clients.
// Run after `npm run build:ts`: node --expose-gc bench/aggregator-memory.mjs [N]
import { Aggregator } from '../dist/agent/aggregator.js';

const N = Number(process.argv[2] ?? 10_000);
const gc = globalThis.gc;
if (!gc) {
  console.error('run with node --expose-gc');
  process.exit(2);
}

function settle() {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage();
}

let t = 1_700_000_000_000;
const agg = new Aggregator({
  clock: () => t,
  maxProcesses: N,
  describe: (pid) => ({ comm: `worker-${pid % 100}`, cmdline: `/usr/bin/worker --id ${pid} --config /etc/worker/worker.conf`, cgroup: `/system.slice/worker@${pid % 100}.service` }),
});

function event(pid, i) {
  return {
    time: new Date(t).toISOString(),
    event: 'connect_error',
    errno: 'ECONNREFUSED',
    async: false,
    pid,
    tid: pid,
    comm: `worker-${pid % 100}`,
    cgroup: `/system.slice/worker@${pid % 100}.service`,
    family: 'ipv4',
    saddr: '10.0.0.1',
    sport: 40000 + i,
    daddr: `10.0.${(pid >> 8) & 255}.${pid & 255}`,
    dport: 443,
    seed: '#021',
    rung: 'application',
  };
}

const before = settle();
for (let round = 1; round <= 5; round++) {
  const rows = [];
  const events = [];
  for (let pid = 1; pid <= N; pid++) {
    rows.push({ pid, event: 'connect_error', errno: 'ECONNREFUSED', count: round * 3 });
    rows.push({ pid, event: 'time_wait', errno: null, count: round });
    events.push(event(pid, round));
  }
  agg.applyCounters(rows);
  agg.observe(events);
  t += 1000;
}
const after = settle();
const mib = (b) => (b / 1024 / 1024).toFixed(1);
const heap = after.heapUsed - before.heapUsed;
const start = Date.now();
const snap = agg.snapshot();
const snapshotMs = Date.now() - start;
console.log(
  JSON.stringify({
    processes: agg.size,
    heapUsedDeltaMiB: Number(mib(heap)),
    bytesPerProcess: Math.round(heap / N),
    rssMiB: Number(mib(after.rss)),
    arrayBuffersMiB: Number(mib(after.arrayBuffers)),
    snapshotMs,
    snapshotRows: snap.length,
  }),
);
