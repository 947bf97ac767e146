// Finding entries for what a person typed: an error name, a code, or words.
import { SEEDS } from '../core/seed.js';
import { ENTRIES, entryFor, type Entry } from './entries.js';
import { closest } from './similar.js';

export type Lookup =
  | { found: true; entries: Entry[] }
  | { found: false; suggestion: string | null; hint: string };

const CODE = /^#?0?(\d\d)$/;
/** A number that is not a code (-1, 7, #0111): words never match it, so
 *  it is answered as a code out of range rather than by a stray digit in
 *  some entry's text. */
const NUMBER = /^[-+#]?\d+$/;

const STOP = new Set([
  'a', 'an', 'and', 'are', 'at', 'be', 'but', 'by', 'can', 'cannot', 'cant', 'does', 'error', 'for', 'from', 'get', 'gets',
  'getting', 'got', 'i', 'in', 'is', 'it', 'its', 'my', 'no', 'not', 'of', 'on', 'or', 'the', 'to', 'what', 'when', 'why', 'with',
]);

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9_]+/)
    .filter((t) => t.length > 0 && !STOP.has(t));
}

/** Same word, or one is a stem of the other ("refuse" / "refused",
 *  "resolv" / "resolver"); short words must match exactly. */
function sameWord(q: string, w: string): boolean {
  if (q === w) return true;
  if (q.length < 4 || w.length < 4) return false;
  return q.startsWith(w) || w.startsWith(q);
}

// Where a word is found says how much it tells: a name or the title is a
// strong hint, a word in the explanation a weak one.
interface Field {
  weight: number;
  words: string[];
}

function fields(e: Entry): Field[] {
  return [
    { weight: 4, words: [e.errno, ...e.aliases].filter((x): x is string => x !== null).map((x) => x.toLowerCase()) },
    { weight: 4, words: tokens(e.title) },
    { weight: 3, words: e.words.map((w) => w.toLowerCase()) },
    { weight: 2, words: [e.rung] },
    { weight: 1, words: tokens([e.meaning, e.cause, ...e.causes].join(' ')) },
  ];
}

const FIELDS = new Map<Entry, Field[]>(ENTRIES.map((e) => [e, fields(e)]));

export function score(e: Entry, query: string[]): number {
  let total = 0;
  for (const q of query) {
    let best = 0;
    for (const f of FIELDS.get(e) ?? []) if (f.weight > best && f.words.some((w) => sameWord(q, w))) best = f.weight;
    total += best;
  }
  return total;
}

/** Entries for free text, best first; those far behind the best are left
 *  out so "connection refused" does not also list every entry that merely
 *  mentions a refusal. */
export function search(text: string): Entry[] {
  const q = tokens(text);
  if (q.length === 0) return [];
  const scored = ENTRIES.map((e) => ({ e, s: score(e, q) })).filter((x) => x.s > 0);
  const top = Math.max(0, ...scored.map((x) => x.s));
  return scored
    .filter((x) => x.s >= top * 0.75)
    .sort((a, b) => b.s - a.s || a.e.seed.localeCompare(b.e.seed))
    .map((x) => x.e);
}

function byName(name: string): Entry[] {
  const n = name.toUpperCase();
  return ENTRIES.filter((e) => e.errno === n || e.aliases.includes(n));
}

function names(): string[] {
  return ENTRIES.flatMap((e) => [e.errno, ...e.aliases]).filter((x): x is string => x !== null);
}

function vocabulary(): Set<string> {
  const v = new Set<string>();
  for (const f of FIELDS.values()) for (const field of f) for (const w of field.words) if (w.length >= 3) v.add(w);
  return v;
}

const HINT = 'try an error name (ECONNREFUSED), a code (#021 to #030) or a few words ("timed out")';

function suggest(query: string): string | null {
  const name = closest(query.trim(), names());
  if (name) return name;
  // Mend each misspelt word, and offer the mended text if it finds something.
  const vocab = vocabulary();
  const words = query.trim().toLowerCase().split(/\s+/);
  const mended = words.map((w) => (vocab.has(w) || STOP.has(w) ? w : closest(w, vocab) ?? w));
  const text = mended.join(' ');
  return text !== words.join(' ') && search(text).length > 0 ? text : null;
}

function outsideCodes(): Lookup {
  return { found: false, suggestion: null, hint: `codes run from ${SEEDS[0]} to ${SEEDS[SEEDS.length - 1]}` };
}

export function lookup(query: string): Lookup {
  const q = query.trim();
  const code = CODE.exec(q);
  if (code) {
    const seed = SEEDS.find((s) => Number(s.slice(1)) === Number(code[1]));
    if (seed) return { found: true, entries: [entryFor(seed)] };
    return outsideCodes();
  }
  if (NUMBER.test(q)) return outsideCodes();
  const named = byName(q);
  if (named.length > 0) return { found: true, entries: named };
  const found = search(q);
  if (found.length > 0) return { found: true, entries: found };
  return { found: false, suggestion: suggest(q), hint: HINT };
}
