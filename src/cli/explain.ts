// netladder explain: the knowledge base entry for an error name, a code or words.
import { UsageError } from '../core/usage-error.js';
import { lookup } from '../knowledge/lookup.js';
import { entryJson, entryText } from '../knowledge/render.js';
import { EXIT } from './exit.js';
import { paintFor } from './terminal.js';

export interface ExplainOptions {
  json?: boolean;
  color?: boolean;
}

export async function explain(words: string[], opts: ExplainOptions): Promise<number> {
  const query = words.join(' ').trim();
  if (!query) throw new UsageError('explain needs an error name, a code or words, e.g. "netladder explain ECONNREFUSED"');
  const r = lookup(query);
  if (!r.found) {
    const next = r.suggestion ? `did you mean "${r.suggestion}"?` : r.hint;
    throw new UsageError(`nothing known about "${query}"; ${next}`);
  }
  if (opts.json) {
    const out = r.entries.map(entryJson);
    // One match is an object, several an array: the README's `explain --json`.
    process.stdout.write(`${JSON.stringify(out.length === 1 ? out[0] : out, null, 2)}\n`);
  } else {
    const paint = paintFor(process.stdout, opts.color !== false);
    process.stdout.write(`${r.entries.map((e) => entryText(e, paint)).join('\n\n')}\n`);
  }
  return EXIT.OK;
}
