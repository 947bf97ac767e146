// The addon's uprobe table names the files; libraries.ts only finds them.
import { existsSync, realpathSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ADDON_PATH, loadAddon } from '../../src/kernel/addon.js';
import { findLibraries } from '../../src/kernel/libraries.js';
import { needsBpf } from '../support/gate.js';

needsBpf('uprobe files', () => {
  const table = existsSync(ADDON_PATH) ? loadAddon().uprobes() : [];

  it('puts every uprobe on a function of at least one named file', () => {
    expect(table.length).toBeGreaterThan(0);
    for (const u of table) {
      expect(u.program).toMatch(/^nl_/);
      expect(u.function).not.toBe('');
      expect(u.files.length).toBeGreaterThan(0);
    }
  });

  it('looks only for files the table names', () => {
    const named = new Set(table.flatMap((u) => u.files));
    for (const file of Object.keys(findLibraries())) expect(named.has(file), file).toBe(true);
  });

  it("finds this host's C library and the node binary running it", () => {
    const found = findLibraries();
    expect(found['libc.so.6']).toMatch(/\/libc\.so\.6$/);
    expect(found.node).toBe(realpathSync(process.execPath));
  });
});
