// The Prometheus registry. Every value is read when Prometheus scrapes: a
// scrape first reads the source once (one sync of the kernel counters), then
// formats; the metrics' collect() callbacks only copy what that read found.
import { release } from 'node:os';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Aggregator, Removed } from '../agent/aggregator.js';
import { printable } from '../core/printable.js';
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
  /** where the totals of retired processes go when grouping by comm; given
   *  by a caller whose sampler must feed it before the exporter exists */
  retired?: RetiredByComm;
}

export const DEFAULT_MAX_SERIES = 10_000;

const GAUGES_NAMED_TOTAL = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** Everything one scrape reads from the source, and the cap's figures after it. */
interface Reading {
  series: EventSeries[];
  losses: Losses;
  timeWait: number | null;
  tracked: number;
  overflowEvents: number;
  overflowSeries: number;
}

const EVENTS_HELP =
  'Network failures seen, per process (or per command name), event and errno; errno is empty for events without one. Exact: counted in the kernel.';

// eslint-disable-next-line no-control-regex
const LABEL_SPECIAL = /[\\"\x00-\x1f\x7f-\x9f]/;
// eslint-disable-next-line no-control-regex
const LABEL_SPECIALS = /[\\"\x00-\x1f\x7f-\x9f]/g;

function labelEscape(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\\' || c === '"') return `\\${c}`;
  // The format has no escape for other control characters: they are shown
  // as on a terminal (people read /metrics with curl), the backslash of
  // that form escaped in turn.
  return `\\${printable(c)}`;
}

/** A label value in the text format: backslash, quote and newline escaped,
 *  other control characters made visible. */
function labelValue(v: string): string {
  return LABEL_SPECIAL.test(v) ? v.replace(LABEL_SPECIALS, labelEscape) : v;
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
  private readonly retired: RetiredByComm;
  /** what the scrape under way read; collect() callbacks copy from it */
  private reading: Reading;

  constructor(
    private readonly source: ExporterSource,
    opts: ExporterOptions,
  ) {
    this.by = opts.by ?? 'pid';
    this.cap = new SeriesCap(opts.maxSeries ?? DEFAULT_MAX_SERIES);
    this.retired = opts.retired ?? new RetiredByComm();
    this.reading = {
      series: [],
      losses: { ringbufFull: 0, rateLimited: 0, counterFull: 0, dnsPendingFull: 0 },
      timeWait: null,
      tracked: 0,
      overflowEvents: 0,
      overflowSeries: 0,
    };
    const registers = [this.registry];
    // collect() runs with `this` bound to the metric; this names the exporter.
    const exporter = this;

    new Counter({
      name: 'netladder_lost_events_total',
      help: 'Detail records lost (ring buffer full) or suppressed (rate limit), counts lost (counter map full), and DNS queries left untracked (DNS-pending map full).',
      labelNames: ['reason'] as const,
      registers,
      collect() {
        const l = exporter.reading.losses;
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
        this.reset();
        this.inc(exporter.reading.overflowEvents);
      },
    });
    new Gauge({
      name: 'netladder_overflow_series',
      help: 'Series of netladder_events_total kept out by the series cap at this scrape.',
      registers,
      collect() {
        this.set(exporter.reading.overflowSeries);
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
        this.set(exporter.reading.tracked);
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
          this.set(exporter.reading.timeWait ?? NaN);
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
    const reading = this.read();
    this.reading = reading;
    const rest = await this.registry.metrics();
    return `${eventsText(reading.series)}\n${rest}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The scrape's one visit to the source: sync, then every value. */
  private read(): Reading {
    this.source.sync();
    const series = this.cap.apply(buildEventSeries(this.source.aggregator, this.by, this.retired));
    return {
      series,
      losses: this.source.losses(),
      timeWait: this.source.timeWait(),
      tracked: this.source.aggregator.size,
      overflowEvents: this.cap.overflowEvents,
      overflowSeries: this.cap.overflowSeries,
    };
  }
}
