// The kernel's own per-namespace TCP counters, read with nstat inside a
// test's namespace: ground truth that shares nothing with netladder.
import type { Netns } from './netns.js';

/** Absolute values of `names` in `ns` (0 for a counter nstat leaves out). */
export function nstat<K extends string>(ns: Netns, ...names: K[]): Record<K, number> {
  // -a absolute, -s leave nstat's history file alone, -z print zeros too.
  const out = ns.exec('nstat', '-asz', ...names);
  const seen = {} as Record<K, number>;
  for (const name of names) seen[name] = 0;
  for (const m of out.matchAll(/^(\w+)\s+(\d+)/gm)) if (names.includes(m[1] as K)) seen[m[1] as K] = Number(m[2]);
  return seen;
}
