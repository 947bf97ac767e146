// The columns of the live view: header, width, how to show and sort a
// process, and which go first when the terminal is narrow. Pure.
import { ownerLabel } from '../agent/cgroup-owner.js';
import { FAILURE_CLASSES, type FailureClass } from '../agent/failure-class.js';
import type { ProcessView } from '../agent/process-view.js';

/** The failure-class columns show totals since start, or rates over the last 10 s. */
export type ClassMode = 'totals' | 'rates';

export interface Column {
  key: string;
  header: string;
  width: number;
  align: 'left' | 'right';
  /** lower goes first when the terminal is too narrow; 0 never goes */
  keep: number;
  /** true: takes whatever width is left */
  flex?: boolean;
  text(p: ProcessView, mode: ClassMode): string;
  /** the sort order's value: numbers sort largest first, text A to Z */
  sortValue(p: ProcessView, mode: ClassMode): number | string;
}

/** 0, 3, 12.5, 1.2k, 35k, 1.2M: fits six characters. */
export function compact(n: number): string {
  if (n === 0) return '0';
  if (n < 10 && !Number.isInteger(n)) return n.toFixed(1);
  if (n < 1000) return Number.isInteger(n) ? String(n) : n.toFixed(n < 100 ? 1 : 0);
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)}k`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)}M`;
}

const CLASS_HEADERS: Record<FailureClass, string> = {
  refused: 'REFUSED',
  unreach: 'UNREACH',
  timeout: 'TIMEOUT',
  synrtx: 'SYNRTX',
  reset: 'RESET',
  dns: 'DNS',
  tls: 'TLS',
  bind: 'BIND',
  tw: 'TW',
  other: 'OTHER',
};

// Classes a person looks for first stay longest on a narrow screen.
const CLASS_KEEP: Record<FailureClass, number> = { refused: 9, unreach: 8, timeout: 8, reset: 7, dns: 7, tw: 5, synrtx: 4, bind: 4, tls: 3, other: 2 };

function classValue(p: ProcessView, c: FailureClass, mode: ClassMode): number {
  return mode === 'totals' ? p.classTotals[c] : p.classRates[c];
}

const classColumns: Column[] = FAILURE_CLASSES.map((c) => ({
  key: c,
  header: CLASS_HEADERS[c],
  width: Math.max(CLASS_HEADERS[c].length, 5),
  align: 'right',
  keep: CLASS_KEEP[c],
  text: (p, mode) => compact(classValue(p, c, mode)),
  sortValue: (p, mode) => classValue(p, c, mode),
}));

export const COLUMNS: Column[] = [
  { key: 'pid', header: 'PID', width: 7, align: 'right', keep: 0, text: (p) => String(p.pid), sortValue: (p) => -p.pid },
  { key: 'state', header: 'S', width: 1, align: 'left', keep: 6, text: (p) => (p.pid === 0 ? '-' : p.exitedAt === null ? 'R' : 'X'), sortValue: (p) => (p.exitedAt === null ? 1 : 0) },
  { key: 'comm', header: 'COMM', width: 15, align: 'left', keep: 0, text: (p) => (p.pid === 0 ? '(no process)' : (p.comm ?? '?')), sortValue: (p) => p.comm ?? '' },
  ...classColumns,
  { key: 'total', header: 'TOTAL', width: 7, align: 'right', keep: 10, text: (p) => compact(p.total), sortValue: (p) => p.total },
  { key: 'rate1', header: '/1s', width: 6, align: 'right', keep: 6, text: (p) => compact(p.rate.s1), sortValue: (p) => p.rate.s1 },
  { key: 'rate10', header: '/10s', width: 6, align: 'right', keep: 10, text: (p) => compact(p.rate.s10), sortValue: (p) => p.rate.s10 },
  { key: 'rate60', header: '/60s', width: 6, align: 'right', keep: 6, text: (p) => compact(p.rate.s60), sortValue: (p) => p.rate.s60 },
  { key: 'dest', header: 'LAST DESTINATION', width: 22, align: 'left', keep: 5, text: (p) => p.lastDestination ?? '-', sortValue: (p) => p.lastDestination ?? '' },
  { key: 'unit', header: 'UNIT/CONTAINER', width: 14, align: 'left', keep: 1, flex: true, text: (p) => ownerLabel(p.owner), sortValue: (p) => ownerLabel(p.owner) },
];

/** The keys --sort and the sort keys accept, in the order `s` cycles through them. */
export const SORT_KEYS = COLUMNS.filter((c) => c.key !== 'state').map((c) => c.key);
