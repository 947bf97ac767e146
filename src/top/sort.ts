// Ordering and filtering the rows. Pure.
import { UsageError } from '../core/usage-error.js';
import type { ProcessView } from '../agent/process-view.js';
import { COLUMNS, SORT_KEYS, type ClassMode } from './columns.js';

export const DEFAULT_SORT = 'rate10';

export function parseSort(s: string): string {
  const k = s.toLowerCase();
  if (!SORT_KEYS.includes(k)) throw new UsageError(`--sort takes one of ${SORT_KEYS.join(', ')}; not "${s}"`);
  return k;
}

/** Largest first for numbers, A to Z for text (reversed by `reverse`); ties
 *  go to the larger total, then the lower pid, so rows do not jump about. */
export function sortRows(rows: ProcessView[], key: string, reverse: boolean, mode: ClassMode): ProcessView[] {
  const col = COLUMNS.find((c) => c.key === key) ?? COLUMNS.find((c) => c.key === DEFAULT_SORT)!;
  const dir = reverse ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = col.sortValue(a, mode);
    const vb = col.sortValue(b, mode);
    let c = 0;
    if (typeof va === 'number' && typeof vb === 'number') c = vb - va;
    else c = String(va).localeCompare(String(vb));
    return dir * c || b.total - a.total || a.pid - b.pid;
  });
}

/** Case-blind substring match on pid, comm, command line, unit, container
 *  and last destination. */
export function filterRows(rows: ProcessView[], text: string): ProcessView[] {
  const t = text.trim().toLowerCase();
  if (!t) return rows;
  return rows.filter((p) =>
    [String(p.pid), p.comm, p.cmdline, p.owner.unit, p.owner.container, p.lastDestination].some((f) => f?.toLowerCase().includes(t)),
  );
}
