import { describe, expect, it } from 'vitest';
import { decodeDnsName, dnsErrorName, isDnsErrorName } from '../../src/core/dns.js';

/** "www.example.com" -> its wire format, followed by whatever the buffer held. */
function wire(...labels: (string | number[])[]): number[] {
  const out: number[] = [];
  for (const l of labels) {
    const bytes = typeof l === 'string' ? [...Buffer.from(l, 'latin1')] : l;
    out.push(bytes.length, ...bytes);
  }
  return out;
}

describe('decodeDnsName', () => {
  it.each<[string, number[], number, string | null]>([
    ['a name', [...wire('www', 'example', 'com'), 0], 256, 'www.example.com'],
    ['the root', [0], 256, '.'],
    ['a name followed by the question type', [...wire('nx'), 0, 0, 1, 0, 1], 256, 'nx'],
    ['hyphens and underscores as they are', [...wire('_dns', 'nx-1'), 0], 256, '_dns.nx-1'],
    ['upper case kept (0x20 randomisation shows)', [...wire('WwW', 'Example'), 0], 256, 'WwW.Example'],
    ['a dot inside a label escaped', [...wire('a.b', 'c'), 0], 256, 'a\\.b.c'],
    ['control bytes and spaces as \\DDD', [...wire([0x1b, 0x5b, 0x20, 0x41]), 0], 256, '\\027\\091\\032A'],
    ['a name cut off by the room it had', wire('www', 'examp'), 8, null],
    ['no terminating label in the room', [...wire('abc'), 0], 4, null],
    ['a compression pointer (not in a question)', [0xc0, 0x0c], 256, null],
    ['a label longer than 63', [64, ...Array(64).fill(0x61), 0], 256, null],
    ['an empty buffer', [], 0, null],
  ])('%s', (_what, bytes, size, want) => {
    const buf = new Uint8Array(Math.max(bytes.length, size) + 4);
    buf.set(bytes, 2);
    expect(decodeDnsName(buf, 2, size)).toBe(want);
  });

  it('reads a name of the longest kind (253 characters) within 256 bytes', () => {
    const labels = [...Array(4)].map((_, i) => String(i).repeat(63).slice(0, i === 3 ? 61 : 63));
    const bytes = [...wire(...labels), 0];
    expect(bytes.length).toBe(255);
    expect(decodeDnsName(new Uint8Array(bytes), 0, 256)).toBe(labels.join('.'));
  });
});

describe('dnsErrorName', () => {
  it.each<[number, string | null]>([
    [0, null],
    [2, 'EAI_NONAME'],
    [3, 'EAI_AGAIN'],
    [4, 'EAI_FAIL'],
    [5, 'EAI_NODATA'],
    [9, 'EAI_ADDRFAMILY'],
    [11, 'EAI_SYSTEM'],
    [99, 'EAI_99'],
    [1001, 'FORMERR'],
    [1002, 'SERVFAIL'],
    [1003, 'NXDOMAIN'],
    [1004, 'NOTIMP'],
    [1005, 'REFUSED'],
    [1009, 'NOTAUTH'],
    [1015, 'RCODE15'],
    [2000, 'DNS_TIMEOUT'],
  ])('%i is %s', (err, name) => {
    expect(dnsErrorName(err)).toBe(name);
  });

  it.each([
    ['NXDOMAIN', true], ['nxdomain', true], ['SERVFAIL', true], ['REFUSED', true], ['DNS_TIMEOUT', true],
    ['EAI_NONAME', true], ['EAI_AGAIN', true], ['NXDOMAINX', false], ['ECONNREFUSED', false], ['RCODE3', false],
  ])('%s is a DNS error name: %s', (name, want) => {
    expect(isDnsErrorName(name)).toBe(want);
  });
});
