// One moment of the live view, as JSON for scripts (--once --json) and as
// plain text like `top -b`. Pure.
import type { ProcessView } from '../agent/process-view.js';
import type { Losses } from '../kernel/capture.js';
import { nextCommand } from './next-command.js';
import { filterRows, sortRows } from './sort.js';
import { renderTable } from './table.js';
import type { ClassMode } from './columns.js';

export interface TopSnapshot {
  /** Unix ms */
  time: number;
  /** seconds the capture has been running */
  uptime: number;
  processes: ProcessView[];
  losses: Losses;
}

export interface ViewSettings {
  sort: string;
  reverse: boolean;
  mode: ClassMode;
  filter: string;
}

export function visibleRows(s: TopSnapshot, v: ViewSettings): ProcessView[] {
  return sortRows(filterRows(s.processes, v.filter), v.sort, v.reverse, v.mode);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** The JSON of --once --json: one object, processes in the sort order. */
export function snapshotJson(s: TopSnapshot, v: ViewSettings): object {
  return {
    time: new Date(s.time).toISOString(),
    uptime: round(s.uptime),
    losses: s.losses,
    processes: visibleRows(s, v).map((p) => ({
      pid: p.pid,
      comm: p.comm,
      cmdline: p.cmdline,
      cgroup: p.cgroup,
      unit: p.owner.unit,
      container: p.owner.container,
      exited: p.exitedAt !== null,
      total: p.total,
      rate: { s1: round(p.rate.s1), s10: round(p.rate.s10), s60: round(p.rate.s60) },
      // the contract's name for the per-class totals
      kinds: p.classTotals,
      series: p.series.map((x) => ({ event: x.event, errno: x.errno, total: x.total, rate: { s1: round(x.rate.s1), s10: round(x.rate.s10), s60: round(x.rate.s60) } })),
      lastSeen: new Date(p.lastSeen).toISOString(),
      lastDestination: p.lastDestination,
      recent: p.recent.map((e) => ({ ...e, next: nextCommand(e) })),
    })),
  };
}

/** The status line above the table. */
export function summaryLine(s: TopSnapshot, v: ViewSettings, shown: number): string {
  const time = new Date(s.time).toISOString().slice(11, 19);
  const lost = s.losses.ringbufFull + s.losses.rateLimited + s.losses.counterFull + s.losses.dnsPendingFull;
  const parts = [
    `netladder top - ${time} UTC`,
    `up ${Math.floor(s.uptime)}s`,
    `${shown} of ${s.processes.length} processes`,
    `sort ${v.sort}${v.reverse ? ' (reversed)' : ''}`,
    v.mode === 'rates' ? 'kinds: per second over 10 s' : 'kinds: totals',
  ];
  if (v.filter) parts.push(`filter "${v.filter}"`);
  if (lost) parts.push(`${lost} detail records lost or suppressed (counts exact)`);
  return parts.join(', ');
}

/** A plain snapshot, as `top -b` prints them: status, header, rows. */
export function batchText(s: TopSnapshot, v: ViewSettings, width: number): string {
  const rows = visibleRows(s, v);
  const t = renderTable(rows, width, v.mode);
  return [summaryLine(s, v, rows.length), '', t.header, ...t.lines, ''].map((l) => l.trimEnd()).join('\n');
}
