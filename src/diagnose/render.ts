// A diagnosis for people: one line per rung, the verdict, what to run next.
import type { Paint } from '../core/format.js';
import { plain } from '../core/format.js';
import { entryFor } from '../knowledge/entries.js';
import type { Diagnosis } from './decide.js';

export function diagnosisText(d: Diagnosis, paint: Paint = plain): string {
  const lines = [paint.bold(`netladder diagnose ${d.target}`)];
  for (const r of d.rungs) lines.push(`  ${r.ok ? 'ok  ' : paint.red('FAIL')}  ${r.rung.padEnd(12)} ${r.detail}`);
  const v = d.verdict;
  if (v.rung === null) {
    lines.push('', `verdict: reachable; every rung checked passed`);
    return lines.join('\n');
  }
  const what = [v.errno ?? v.reason, v.seed ? `${v.seed} ${entryFor(v.seed).title}` : null].filter((x) => x).join(', ');
  lines.push('', `verdict: the ${paint.bold(v.rung)} rung fails${what ? ` (${what})` : ''}`);
  if (v.next.length) lines.push('next:', ...v.next.map((c) => `  ${c}`));
  if (v.seed) lines.push(paint.dim(`(netladder explain ${v.seed} for the causes)`));
  return lines.join('\n');
}
