// The selected process: who it is, and its latest failures with where they
// were going and what to run next. Pure.
import { ownerLabel } from '../agent/cgroup-owner.js';
import type { ProcessView } from '../agent/process-view.js';
import { destinationOf } from '../agent/process-view.js';
import { nextCommand } from './next-command.js';
import { clip } from '../core/printable.js';

export function renderDetail(p: ProcessView, width: number, max: number): string[] {
  const who = p.pid === 0 ? 'pid 0: sockets no process owns (kernel replies, orphaned connections)' : `pid ${p.pid} ${p.comm ?? '?'}${p.exitedAt !== null ? ' (exited)' : ''}: ${p.cmdline ?? ''}`;
  const owner = ownerLabel(p.owner);
  const lines = [clip(`${who}${owner !== '-' ? `  [${p.owner.container ? 'container ' : ''}${owner}]` : ''}`, width)];
  for (const e of p.recent.slice(0, max)) {
    const time = e.time.slice(11, 19);
    const dest = destinationOf(e) ?? '-';
    lines.push(clip(`  ${time} ${e.event.padEnd(16)} ${(e.errno ?? '-').padEnd(12)} -> ${dest.padEnd(22)} ${e.seed ?? '----'} ${e.rung.padEnd(11)} next: ${nextCommand(e)}`, width));
  }
  if (p.recent.length === 0) lines.push('  (no details yet: counts only)');
  return lines;
}
