// netladder serve: export per-process failure counts to Prometheus.
import { setFlagsFromString } from 'node:v8';
import { Sampler } from '../agent/sampler.js';
import { GROUPINGS, RetiredByComm } from '../serve/event-series.js';
import { UsageError } from '../core/usage-error.js';
import { connectionRoomNow } from '../serve/descriptors.js';
import { Exporter } from '../serve/exporter.js';
import { exposureWarning } from '../serve/exposure.js';
import { readiness } from '../serve/health.js';
import { listen } from '../serve/http.js';
import { landingPage } from '../serve/landing.js';
import { formatListen, parseListen } from '../serve/listen.js';
import { readTimeWait } from '../serve/sockstat.js';
import { WebConfigError } from '../serve/web-config.js';
import type { WebConfigFile } from '../serve/web-config-file.js';
import { DAY_SECONDS, MAX_CONNECTIONS, MAX_SERIES, oneOf, rateLimit as parseRateLimit, wholeNumber } from './options.js';
import { untilSignal } from './terminal.js';
import { VERSION } from './version.js';

/** As commander hands them over, every one with its default. */
export interface ServeOptions {
  listen: string;
  by: string;
  maxSeries: string;
  retireAfter: string;
  rateLimit: string;
  maxConnections: string;
  'web.config.file'?: string;
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
  const maxSeries = wholeNumber('--max-series', opts.maxSeries, 1, MAX_SERIES);
  const graceMs = wholeNumber('--retire-after', opts.retireAfter, 0, DAY_SECONDS) * 1000;
  const rateLimit = parseRateLimit(opts.rateLimit);
  const maxConnections = wholeNumber('--max-connections', opts.maxConnections, 1, MAX_CONNECTIONS);
  const web = await openWebConfig(opts['web.config.file']);

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
  let synced = false;

  let server;
  try {
    const routes = {
      metrics: async () => ({ contentType: exporter.contentType, body: await exporter.metrics() }),
      landing: () => landingPage(VERSION),
      ready: () => readiness({ programsAttached: sampler.programsAttached(), synced }),
    };
    // Counted now, with every program attached: what is left of the
    // descriptor limit, less a reserve, is what connections may take.
    server = await listen(at, routes, { maxConnections: Math.min(maxConnections, connectionRoomNow()) }, web);
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
  // The first reading of the kernel's counters, without waiting for a scrape.
  sampler.sync();
  synced = true;
  const retire = setInterval(() => sampler.retire(), RETIRE_MS);
  const warning = exposureWarning(server.address.host, web?.current.config);
  if (warning) process.stderr.write(`netladder: ${warning}\n`);
  const scheme = web?.current.tls ? 'https' : 'http';
  process.stderr.write(
    `netladder: ${sampler.programsAttached()} programs attached; metrics on ${scheme}://${formatListen(server.address)}/metrics; Ctrl-C to stop\n`,
  );

  const sig = await untilSignal();
  clearInterval(retire);
  await server.close();
  await sampler.close();
  process.stderr.write(`netladder: stopped on ${sig}\n`);
  return 0;
}

/** At start a bad file is bad input (exit 2); later, a bad version is
 *  reported and the last good one kept. Its reader and the YAML parser load
 *  only when a file is given. */
async function openWebConfig(file: string | undefined): Promise<WebConfigFile | undefined> {
  if (file === undefined) return undefined;
  const { WebConfigFile } = await import('../serve/web-config-file.js');
  try {
    return new WebConfigFile(file, (why) =>
      process.stderr.write(`netladder: --web.config.file ${file}: ${why}; keeping the last good configuration\n`),
    );
  } catch (err) {
    if (err instanceof WebConfigError) throw new UsageError(`--web.config.file ${file}: ${err.message}`);
    throw err;
  }
}
