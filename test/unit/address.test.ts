import { describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6 } from '../../src/core/address.js';

function v6(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replace(/[^0-9a-f]/g, ''), 'hex'));
}

describe('formatIPv6 (RFC 5952)', () => {
  it.each([
    ['00000000000000000000000000000001', '::1'],
    ['00000000000000000000000000000000', '::'],
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    ['20010db8000100010001000100010001', '2001:db8:1:1:1:1:1:1'],
    ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'],
    ['fe800000000000000000000000000000', 'fe80::'],
    ['00000000000000000000ffff7f000001', '::ffff:127.0.0.1'],
    ['20010DB8ABCD00000000000000000000', '2001:db8:abcd::'],
  ])('%s -> %s', (hex, text) => {
    expect(formatIPv6(v6(hex.toLowerCase()), 0)).toBe(text);
  });

  it('reads at an offset', () => {
    const b = new Uint8Array(20);
    b.set(v6('00000000000000000000000000000001'), 4);
    expect(formatIPv6(b, 4)).toBe('::1');
  });
});

describe('formatIPv4', () => {
  it.each([
    [[127, 0, 0, 1], '127.0.0.1'],
    [[10, 213, 9, 77], '10.213.9.77'],
    [[255, 255, 255, 255], '255.255.255.255'],
  ])('%j -> %s', (bytes, text) => {
    expect(formatIPv4(Uint8Array.from(bytes), 0)).toBe(text);
  });
});
