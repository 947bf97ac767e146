// An entry for people (text) and for programs (the explain --json contract).
import type { Paint } from '../core/format.js';
import { plain } from '../core/format.js';
import type { Entry } from './entries.js';
import { HABITS } from './habits.js';
import { RUNG_INFO } from './rungs.js';

/** `explain --json` as the README documents it: the contract's fields, then the longer explanation. */
export interface EntryJson {
  seed: string;
  errno: string | null;
  title: string;
  rung: string;
  cause: string;
  next: string[];
  meaning: string;
  causes: string[];
  aliases: string[];
  habits: string[];
}

export function entryJson(e: Entry): EntryJson {
  return {
    seed: e.seed,
    errno: e.errno,
    title: e.title,
    rung: e.rung,
    cause: e.cause,
    next: [...e.next],
    meaning: e.meaning,
    causes: [...e.causes],
    aliases: [...e.aliases],
    habits: e.habits.map((h) => HABITS[h]),
  };
}

export function entryText(e: Entry, paint: Paint = plain): string {
  const names = [e.errno, ...e.aliases].filter((x): x is string => x !== null);
  const lines = [
    `${paint.bold(`${e.seed}  ${e.title}`)}${names.length ? paint.dim(`  (${names.join(', ')})`) : ''}`,
    `  rung: ${e.rung} (checks that ${RUNG_INFO[e.rung].checks})`,
    '',
    `  ${e.meaning}`,
    `  Usual cause: ${e.cause}`,
    '',
    '  Likely causes:',
    ...e.causes.map((c) => `    - ${c}`),
    '',
    '  Next:',
    ...e.next.map((c) => `    ${paint.bold(c)}`),
  ];
  if (e.habits.length) lines.push('', ...e.habits.map((h) => `  Habit: ${HABITS[h]}`));
  return lines.join('\n');
}
