// The series of netladder_events_total{event,errno,pid,comm}, built from the
// aggregator at scrape time: per process, or per command name for large
// fleets, with a cap on how many are exported. Pure.
import type { Aggregator, Removed } from '../agent/aggregator.js';

export const GROUPINGS = ['pid', 'comm'] as const;
export type GroupBy = (typeof GROUPINGS)[number];

export interface EventLabels {
  event: string;
  /** "" where the event has no errno */
  errno: string;
  /** "" when grouped by comm */
  pid: string;
  /** "" when unknown */
  comm: string;
}

export interface EventSeries {
  labels: EventLabels;
  value: number;
}

function key(l: EventLabels): string {
  return `${l.pid}\0${l.comm}\0${l.event}\0${l.errno}`;
}

/** Totals of processes that have left, per comm: grouped by comm, a counter
 *  must not go down because one of its processes exited. */
export class RetiredByComm {
  private readonly totals = new Map<string, EventSeries>();

  fold(removed: readonly Removed[]): void {
    for (const p of removed) {
      for (const s of p.series) {
        const labels = { event: s.event, errno: s.errno ?? '', pid: '', comm: p.comm ?? '' };
        const k = key(labels);
        const hit = this.totals.get(k);
        if (hit) hit.value += s.total;
        else this.totals.set(k, { labels, value: s.total });
      }
    }
  }

  values(): IterableIterator<EventSeries> {
    return this.totals.values();
  }
}

/** Every series, keyed, before the cap. */
export function buildEventSeries(agg: Aggregator, by: GroupBy, retired?: RetiredByComm): Map<string, EventSeries> {
  const out = new Map<string, EventSeries>();
  if (by === 'comm' && retired) {
    for (const s of retired.values()) out.set(key(s.labels), { labels: s.labels, value: s.value });
  }
  agg.forEachSeries((pid, comm, event, errno, total) => {
    const labels: EventLabels = { event, errno: errno ?? '', pid: by === 'pid' ? String(pid) : '', comm: comm ?? '' };
    const k = key(labels);
    const hit = out.get(k);
    if (hit) hit.value += total;
    else out.set(k, { labels, value: total });
  });
  return out;
}

/** At most `limit` series. A series once exported stays exported while it
 *  exists, so what Prometheus sees does not flicker; the largest new series
 *  get the free places. Events of series kept out are counted, as increments
 *  seen while they were kept out. */
export class SeriesCap {
  private admitted = new Set<string>();
  private keptOut = new Map<string, number>();
  /** events counted in series the cap kept out, since start */
  overflowEvents = 0;
  /** series kept out at the last scrape */
  overflowSeries = 0;

  constructor(readonly limit: number) {}

  apply(all: Map<string, EventSeries>): EventSeries[] {
    const out: EventSeries[] = [];
    const admitted = new Set<string>();
    const fresh: [string, EventSeries][] = [];
    for (const [k, s] of all) {
      if (this.admitted.has(k)) {
        admitted.add(k);
        out.push(s);
      } else {
        fresh.push([k, s]);
      }
    }
    fresh.sort((a, b) => b[1].value - a[1].value);
    const keptOut = new Map<string, number>();
    for (const [k, s] of fresh) {
      if (admitted.size < this.limit) {
        admitted.add(k);
        out.push(s);
        continue;
      }
      this.overflowEvents += Math.max(0, s.value - (this.keptOut.get(k) ?? 0));
      keptOut.set(k, s.value);
    }
    this.admitted = admitted;
    this.keptOut = keptOut;
    this.overflowSeries = keptOut.size;
    return out;
  }
}
