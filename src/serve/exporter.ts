// The Prometheus registry. Every value is read when Prometheus scrapes:
// each metric's collect() asks the source, which reads the kernel counters
// once per scrape.
import { release } from 'node:os';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Aggregator, Removed } from '../agent/aggregator.js';
import type { Losses } from '../kernel/capture.js';
import { buildEventSeries, RetiredByComm, SeriesCap, type EventSeries, type GroupBy } from './event-series.js';

/** Where the exporter's values come from: a live sampler, or plain values in tests. */
export interface ExporterSource {
  readonly aggregator: Aggregator;
  /** bring the aggregator's counts up to date */
  sync(): void;
  losses(): Losses;
  /** host-wide TIME_WAIT sockets, or null when unknown */
  timeWait(): number | null;
}

export interface ExporterOptions {
  by?: GroupBy;
  maxSeries?: number;
  version: string;
  /** process_* and nodejs_* metrics of the agent itself */
  processMetrics?: boolean;
}

export const DEFAULT_MAX_SERIES = 10_000;

const GAUGES_NAMED_TOTAL = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

interface Scrape {
  generation: number;
  series: EventSeries[];
}

const EVENTS_HELP =
  'Network failures seen, per process (or per command name), event and errno; errno is empty for events without one. Exact: counted in the kernel.';

/** A label value in the text format: backslash, quote and newline escaped. */
function labelValue(v: string): string {
  return /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;
}

/**
 * netladder_events_total in the text format, written here rather than by a
 * prom-client metric: with 10,000 series, prom-client's per-sample label
 * formatting made each scrape 56 ms and left V8 tens of MiB of garbage (see
 * bench/). Every other family still comes from the registry.
 */
export function eventsText(series: readonly EventSeries[]): string {
  const lines = [`# HELP netladder_events_total ${EVENTS_HELP}`, '# TYPE netladder_events_total counter'];
  for (const { labels: l, value } of series) {
    lines.push(`netladder_events_total{event="${l.event}",errno="${l.errno}",pid="${l.pid}",comm="${labelValue(l.comm)}"} ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

export class Exporter {
  readonly registry = new Registry();
  private readonly by: GroupBy;
  private readonly cap: SeriesCap;
  private readonly retired = new RetiredByComm();
  private generation = 0;
  private last: Scrape | null = null;

  constructor(
    private readonly source: ExporterSource,
    opts: ExporterOptions,
  ) {
    this.by = opts.by ?? 'pid';
    this.cap = new SeriesCap(opts.maxSeries ?? DEFAULT_MAX_SERIES);
    const registers = [this.registry];
    // collect() runs with `this` bound to the metric; this names the exporter.
    const exporter = this;

    new Counter({
      name: 'netladder_lost_events_total',
      help: 'Detail records lost (ring buffer full) or suppressed (rate limit), counts lost (counter map full), and DNS queries left untracked (DNS-pending map full).',
      labelNames: ['reason'] as const,
      registers,
      collect() {
        const l = exporter.source.losses();
        this.reset();
        this.inc({ reason: 'ringbuf_full' }, l.ringbufFull);
        this.inc({ reason: 'rate_limited' }, l.rateLimited);
        this.inc({ reason: 'counter_full' }, l.counterFull);
        this.inc({ reason: 'dns_pending_full' }, l.dnsPendingFull);
      },
    });
    new Counter({
      name: 'netladder_overflow_events_total',
      help: 'Failures counted in series that the series cap kept out of netladder_events_total.',
      registers,
      collect() {
        exporter.scrape();
        this.reset();
        this.inc(exporter.cap.overflowEvents);
      },
    });
    new Gauge({
      name: 'netladder_overflow_series',
      help: 'Series of netladder_events_total kept out by the series cap at this scrape.',
      registers,
      collect() {
        exporter.scrape();
        this.set(exporter.cap.overflowSeries);
      },
    });
    new Gauge({
      name: 'netladder_series_limit',
      help: 'The cap on series of netladder_events_total.',
      registers,
    }).set(this.cap.limit);
    new Gauge({
      name: 'netladder_tracked_processes',
      help: 'Processes with failures the agent holds, including exited ones in their grace period.',
      registers,
      collect() {
        exporter.scrape();
        this.set(exporter.source.aggregator.size);
      },
    });
    // Left out where /proc/net/sockstat cannot be read at all; NaN if it
    // stops being readable later.
    if (source.timeWait() !== null) {
      new Gauge({
        name: 'netladder_tcp_time_wait_sockets',
        help: 'TCP sockets in TIME_WAIT on this host (network namespace of the agent), IPv4 and IPv6.',
        registers,
        collect() {
          this.set(exporter.source.timeWait() ?? NaN);
        },
      });
    }
    new Gauge({
      name: 'netladder_build_info',
      help: 'Always 1; the labels say which netladder, Node.js and kernel are running.',
      labelNames: ['version', 'nodejs', 'kernel', 'group_by'] as const,
      registers,
    }).set({ version: opts.version, nodejs: process.versions.node, kernel: release(), group_by: this.by }, 1);
    if (opts.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry });
      // Gauges named *_total break the exposition conventions (promtool
      // rejects them); the same figures are in nodejs_active_*.
      for (const name of GAUGES_NAMED_TOTAL) this.registry.removeSingleMetric(name);
    }
  }

  /** Tell the exporter about processes that left the aggregator (for
   *  grouping by comm, whose counters must not go down). */
  removed(r: readonly Removed[]): void {
    if (this.by === 'comm') this.retired.fold(r);
  }

  /** The text exposition, read now. */
  async metrics(): Promise<string> {
    this.generation++;
    const rest = await this.registry.metrics();
    return `${eventsText(this.scrape().series)}\n${rest}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Synced and built once per scrape, whichever metric asks first. */
  private scrape(): Scrape {
    if (this.last?.generation === this.generation) return this.last;
    this.source.sync();
    const series = this.cap.apply(buildEventSeries(this.source.aggregator, this.by, this.retired));
    this.last = { generation: this.generation, series };
    return this.last;
  }
}
