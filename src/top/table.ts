// The process table as lines of text, fitted to the terminal width. Pure:
// the view adds colour and the selection bar.
import type { ProcessView } from '../agent/process-view.js';
import { COLUMNS, type Column, type ClassMode } from './columns.js';
import { clip } from '../core/printable.js';

function fit(s: string, width: number, align: Column['align']): string {
  const cut = clip(s, width);
  return align === 'right' ? cut.padStart(width) : cut.padEnd(width);
}

/** The columns that fit in `width`, dropping the least kept first; the flex
 *  column takes what is left. */
export function fitColumns(width: number): { col: Column; width: number }[] {
  let cols = [...COLUMNS];
  const need = (cs: Column[]): number => cs.reduce((n, c) => n + c.width + 1, -1);
  while (need(cols) > width) {
    const droppable = cols.filter((c) => c.keep > 0);
    if (!droppable.length) break;
    const least = droppable.reduce((a, b) => (b.keep < a.keep ? b : a));
    cols = cols.filter((c) => c !== least);
  }
  const spare = Math.max(0, width - need(cols));
  return cols.map((col) => ({ col, width: col.flex ? col.width + spare : col.width }));
}

export interface Table {
  header: string;
  lines: string[];
}

export function renderTable(rows: readonly ProcessView[], width: number, mode: ClassMode): Table {
  const cols = fitColumns(width);
  // Lines are exactly `width` wide, whichever columns are left.
  const line = (cell: (c: Column) => string): string =>
    cols.map(({ col, width: w }) => fit(cell(col), w, col.align)).join(' ').padEnd(width).slice(0, width);
  const header = line((c) => c.header);
  const lines = rows.map((p) => line((c) => c.text(p, mode)));
  return { header, lines };
}
