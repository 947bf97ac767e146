// Names from other processes as netladder shows them: UTF-8 read as UTF-8,
// stray bytes and control characters visible, never raw.
import { describe, expect, it } from 'vitest';
import { decodeBatch } from '../../src/core/decode.js';
import { KIND_CODES } from '../../src/core/layout.js';
import { clip, printable } from '../../src/core/printable.js';
import { utf8Text } from '../../src/core/utf8.js';
import { record } from '../support/record.js';

const b = (...xs: (number | string)[]): Buffer => Buffer.concat(xs.map((x) => (typeof x === 'string' ? Buffer.from(x) : Buffer.of(x))));

describe('utf8Text', () => {
  it.each<[string, Buffer, string]>([
    ['ASCII', b('curl'), 'curl'],
    ['nothing', b(), ''],
    ['two-byte UTF-8', b('café'), 'café'],
    ['three- and four-byte UTF-8', b('日本', '🦀'), '日本🦀'],
    ['a Latin-1 byte', b('caf', 0xe9), 'caf\\xe9'],
    ['a lone continuation byte', b('a', 0x80, 'b'), 'a\\x80b'],
    ['a character cut at the end (comm keeps 15 bytes)', b('abc', 0xe6, 0x97), 'abc\\xe6\\x97'],
    ['an overlong slash', b(0xc0, 0xaf), '\\xc0\\xaf'],
    ['an overlong three-byte form', b(0xe0, 0x80, 0xaf), '\\xe0\\x80\\xaf'],
    ['a surrogate', b(0xed, 0xa0, 0x80), '\\xed\\xa0\\x80'],
    ['past U+10FFFF', b(0xf4, 0x90, 0x80, 0x80), '\\xf4\\x90\\x80\\x80'],
    ['0xff between valid text', b('é', 0xff, 'é'), 'é\\xffé'],
    ['control characters pass (printable() shows them)', b('\x1b]0;pwn\x07'), '\x1b]0;pwn\x07'],
  ])('%s', (_what, bytes, want) => {
    expect(utf8Text(bytes, 0, bytes.length)).toBe(want);
  });

  it('reads only its range', () => {
    expect(utf8Text(b('xxcafé', 0xff, 'yy'), 2, 8)).toBe('café\\xff');
  });
});

describe('decodeBatch reads names as UTF-8', () => {
  it.each<[string, Buffer, string]>([
    ['a UTF-8 comm', b('café'), 'café'],
    ['a comm with a stray byte', b('caf', 0xe9), 'caf\\xe9'],
    ['a comm with an escape sequence', b('\x1b]0;pwn\x07'), '\x1b]0;pwn\x07'],
  ])('%s', (_what, comm, want) => {
    const [r] = decodeBatch(record({ kind: KIND_CODES.connect_error, comm: comm.toString('latin1') }));
    expect(r!.comm).toBe(want);
  });

  it('a host name given as text', () => {
    const [r] = decodeBatch(record({ kind: KIND_CODES.tls_error, host: [...b('bücher.example', 0xff)] }));
    expect(r!.host).toBe('bücher.example\\xff');
  });
});

describe('printable', () => {
  it.each<[string, string, string]>([
    ['plain text', 'curl', 'curl'],
    ['UTF-8 text', 'café 日本', 'café 日本'],
    ['a terminal title sequence', '\x1b]0;pwn\x07', '\\x1b]0;pwn\\x07'],
    ['a newline and a carriage return', 'a\nb\rc', 'a\\x0ab\\x0dc'],
    ['NUL, DEL and a C1 control', '\x00\x7f\x9b', '\\x00\\x7f\\x9b'],
  ])('%s', (_what, s, want) => {
    expect(printable(s)).toBe(want);
  });

  it('clip counts the visible form', () => {
    expect(clip('ab\x1bcd', 6)).toBe('ab\\x1…');
  });
});
