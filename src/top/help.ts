// The help screen of the live view. Pure.
import { FAILURE_CLASSES, FAILURE_CLASS_TITLES } from '../agent/failure-class.js';

export const KEYS: [string, string][] = [
  ['↑ ↓  k j', 'select a process (its latest failures show below the table)'],
  ['s  S', 'sort by the next / previous column'],
  ['i', 'invert the sort order'],
  // The screen still says "kind" for a failure class: its text is a contract.
  ['r', 'kind columns: totals since start, or rates over 10 s'],
  ['/', 'filter by pid, command, unit, container or destination; Enter keeps, Esc clears'],
  ['space  p', 'pause / resume refreshing'],
  ['h  ?', 'this help; any key closes it'],
  ['q  Ctrl-C', 'quit'],
];

export function helpLines(): string[] {
  const lines = ['netladder top: processes failing on the network, refreshed live', '', 'Keys'];
  for (const [k, what] of KEYS) lines.push(`  ${k.padEnd(12)} ${what}`);
  lines.push('', 'Columns');
  for (const c of FAILURE_CLASSES) lines.push(`  ${c.toUpperCase().padEnd(12)} ${FAILURE_CLASS_TITLES[c]}`);
  lines.push(
    `  ${'TOTAL'.padEnd(12)} all failures since netladder started (exact: counted in the kernel)`,
    `  ${'/1s /10s /60s'.padEnd(12)} failures per second over the last 1, 10 and 60 complete seconds`,
    `  ${'S'.padEnd(12)} R running, X exited (kept for a while), - no process owns the socket`,
  );
  return lines;
}
