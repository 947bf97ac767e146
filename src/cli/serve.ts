// netladder serve: export per-process failure counts to Prometheus.
import { setFlagsFromString } from 'node:v8';
import { Sampler } from '../agent/sampler.js';
import { GROUPINGS, RetiredByComm } from '../serve/event-series.js';
import { Exporter } from '../serve/exporter.js';
import { listen } from '../serve/http.js';
import { landingPage } from '../serve/landing.js';
import { formatListen, parseListen } from '../serve/listen.js';
import { readTimeWait } from '../serve/sockstat.js';
import { oneOf, rateLimit as parseRateLimit, wholeNumber } from './options.js';
import { untilSignal } from './terminal.js';
import { VERSION } from './version.js';

/** As commander hands them over, every one with its default. */
export interface ServeOptions {
  listen: string;
  by: string;
  maxSeries: string;
  retireAfter: string;
  rateLimit: string;
}

/** With details rate-limited, a burst of 10,000 first failures (one per
 *  process) still fits in 2 MiB; the ring's pages count in the agent's RSS
 *  twice (libbpf maps them twice), so the 8 MiB that watch needs would cost
 *  16 MiB here for nothing. */
const SERVE_RING_BYTES = 2 << 20;

/** How often exited processes are looked for; they go after --retire-after. */
const RETIRE_MS = 5000;

export async function serve(opts: ServeOptions): Promise<number> {
  // A daemon's memory is mostly V8's spare room: a small young generation
  // and size-first old-space heuristics keep its RSS down (see bench/).
  setFlagsFromString('--max-semi-space-size=1');
  setFlagsFromString('--optimize-for-size');
  const at = parseListen(opts.listen);
  const by = oneOf('--by', opts.by, GROUPINGS);
  const maxSeries = wholeNumber('--max-series', opts.maxSeries, 1);
  const graceMs = wholeNumber('--retire-after', opts.retireAfter, 0) * 1000;
  const rateLimit = parseRateLimit(opts.rateLimit);

  // Grouped by comm, a counter must not go down when one of its processes
  // leaves: the sampler hands the leavers' totals to the exporter's series.
  const retired = by === 'comm' ? new RetiredByComm() : undefined;
  const sampler = new Sampler({
    graceMs,
    rateLimit,
    recentPerProcess: 0,
    ringBytes: rateLimit ? SERVE_RING_BYTES : undefined,
    onRemoved: retired ? (r) => retired.fold(r) : undefined,
  });
  const source = {
    aggregator: sampler.aggregator,
    sync: () => sampler.sync(),
    losses: () => sampler.losses(),
    timeWait: () => readTimeWait(),
  };
  const exporter = new Exporter(source, { by, maxSeries, version: VERSION, retired });

  let server;
  try {
    server = await listen(at, {
      metrics: async () => ({ contentType: exporter.contentType, body: await exporter.metrics() }),
      landing: () => landingPage(VERSION),
    });
  } catch (err) {
    await sampler.close();
    const e = err as NodeJS.ErrnoException;
    throw new Error(`cannot listen on ${formatListen(at)}: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.message}`);
  }
  // After listening: a port below 1024 needs CAP_NET_BIND_SERVICE, once.
  try {
    await sampler.dropPrivileges();
  } catch (err) {
    await server.close();
    throw err;
  }
  const retire = setInterval(() => sampler.retire(), RETIRE_MS);
  process.stderr.write(
    `netladder: ${sampler.programsAttached()} programs attached; metrics on http://${formatListen(server.address)}/metrics; Ctrl-C to stop\n`,
  );

  const sig = await untilSignal();
  clearInterval(retire);
  await server.close();
  await sampler.close();
  process.stderr.write(`netladder: stopped on ${sig}\n`);
  return 0;
}
