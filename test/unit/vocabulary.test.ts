import { describe, expect, it } from 'vitest';
import { PLACEMENTS } from '../../src/core/ladder.js';
import { RUNGS } from '../../src/core/rung.js';
import { SEED_RUNG, SEEDS } from '../../src/core/seed.js';
import { ENTRIES, entryFor } from '../../src/knowledge/entries.js';
import { RUNG_INFO } from '../../src/knowledge/rungs.js';

// core decides the seeds, their rungs and which errno is which seed; the
// knowledge base says the same in words. These hold the two together.
describe('the knowledge base agrees with core', () => {
  it('has one entry per seed, in order', () => {
    expect(ENTRIES.map((e) => e.seed)).toEqual([...SEEDS]);
  });

  it.each(ENTRIES.map((e) => [e.seed, e.rung, SEED_RUNG[e.seed]] as const))('%s is on the %s rung, as core says (%s)', (_seed, rung, core) => {
    expect(rung).toBe(core);
  });

  const errnoRows = PLACEMENTS.filter(([, errno, p]) => errno !== null && p.seed !== null);
  it.each(errnoRows.map(([event, errno, p]) => [event, errno!, p.seed!] as const))('%s %s is %s, and its entry names that errno', (_event, errno, seed) => {
    const e = entryFor(seed);
    expect([e.errno, ...e.aliases]).toContain(errno);
  });

  it('describes exactly the rungs of core', () => {
    expect(Object.keys(RUNG_INFO)).toEqual([...RUNGS]);
  });
});
