import { describe, expect, it } from 'vitest';
import { libraryKey, mappedFiles } from '../../src/core/proc-maps.js';

const MAPS = `55d0c0a00000-55d0c0a2c000 r--p 00000000 08:01 1311 /usr/bin/python3.11
7f1c2a000000-7f1c2a028000 r--p 00000000 08:01 2041 /usr/lib/x86_64-linux-gnu/libc.so.6
7f1c2a028000-7f1c2a19d000 r-xp 00028000 08:01 2041 /usr/lib/x86_64-linux-gnu/libc.so.6
7f1c2b000000-7f1c2b060000 r-xp 00000000 08:01 3001 /usr/lib/x86_64-linux-gnu/libssl.so.3
7f1c2c000000-7f1c2c001000 r-xp 00000000 08:01 3002 /usr/lib/x86_64-linux-gnu/libssl.so.3.bak
7f1c2d000000-7f1c2d001000 r-xp 00000000 08:01 3003 /opt/old/libssl.so.3 (deleted)
7f1c2e000000-7f1c2e001000 r-xp 00000000 00:2a 77 /app/bin/with space/node
7f1c2f000000-7f1c2f021000 rw-p 00000000 00:00 0 [heap]
7ffd0b5e0000-7ffd0b601000 rw-p 00000000 00:00 0
`;

describe('mappedFiles', () => {
  it.each<[string, string[], string[]]>([
    ['libc, once however many mappings', ['libc.so.6'], ['/usr/lib/x86_64-linux-gnu/libc.so.6']],
    ['libssl by exact name, not a deleted copy or a backup', ['libssl.so.3'], ['/usr/lib/x86_64-linux-gnu/libssl.so.3']],
    ['a path with a space', ['node'], ['/app/bin/with space/node']],
    ['nothing of what is not mapped', ['libcrypto.so.3'], []],
    ['several names at once', ['libc.so.6', 'node'], ['/usr/lib/x86_64-linux-gnu/libc.so.6', '/app/bin/with space/node']],
  ])('%s', (_what, names, want) => {
    expect([...mappedFiles(MAPS, names)]).toEqual(want);
  });

  it('ignores anonymous and special mappings and empty text', () => {
    expect(mappedFiles('', ['libc.so.6']).size).toBe(0);
    expect(mappedFiles(MAPS, ['[heap]']).size).toBe(0);
  });
});

describe('libraryKey', () => {
  it.each([
    ['/usr/lib/x86_64-linux-gnu/libc.so.6', 'libc.so.6'],
    ['/usr/lib/x86_64-linux-gnu/libssl.so.3', 'libssl.so.3'],
    ['/usr/local/bin/node', 'node'],
    ['/lib/ld-musl-x86_64.so.1', 'musl'],
    ['/lib/ld-musl-aarch64.so.1', 'musl'],
    ['/usr/lib/x86_64-linux-musl/libc.so', 'musl'],
  ])('%s -> %s', (path, key) => {
    expect(libraryKey(path)).toBe(key);
  });
});
