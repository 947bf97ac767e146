import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// core is the bottom layer: the watch hot path loads it alone, and every
// other layer reads its vocabulary. Nothing in it may reach outside it.
const CORE = join(import.meta.dirname, '..', '..', 'src', 'core');
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

function specifiers(file: string): string[] {
  return [...readFileSync(join(CORE, file), 'utf8').matchAll(SPECIFIER)].map((m) => m[1]!);
}

describe('src/core', () => {
  const files = readdirSync(CORE).filter((f) => /\.tsx?$/.test(f));

  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)('%s imports only from core', (file) => {
    const outside = specifiers(file).filter((s) => !/^\.\/[^/]+\.js$/.test(s));
    expect(outside).toEqual([]);
  });
});
