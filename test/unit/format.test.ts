import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../../src/core/event.js';
import { ansi, humanLine, jsonLine } from '../../src/core/format.js';

const refused: NetEvent = {
  time: '2026-11-23T12:00:01.234Z', event: 'connect_error', errno: 'ECONNREFUSED', async: true, pid: 812, tid: 812,
  comm: 'curl', cgroup: '/user.slice', family: 'ipv4', saddr: '10.0.0.2', sport: 40312, daddr: '10.0.0.9', dport: 443,
  seed: '#021', rung: 'application',
};

describe('humanLine', () => {
  it.each<[string, NetEvent, RegExp]>([
    ['a refused connect', refused, /^12:00:01\.234 connect_error +ECONNREFUSED +curl\[812\] +10\.0\.0\.2:40312 -> 10\.0\.0\.9:443 #021 application$/],
    ['an unowned reset with its reason', { ...refused, event: 'reset_sent', errno: null, reason: 'NO_SOCKET', pid: 0, comm: null }, /\(no process\).* reason=NO_SOCKET #021/],
    ['IPv6 in brackets', { ...refused, family: 'ipv6', saddr: null, sport: null, daddr: '::1', dport: 80 }, / - -> \[::1\]:80 /],
    ['a neighbour with its device', { ...refused, event: 'neighbour_failed', dev: 'eth0', errno: 'EHOSTUNREACH', seed: '#029', rung: 'link', dport: null }, /-> 10\.0\.0\.9 dev=eth0 #029 link$/],
    ['no seed', { ...refused, event: 'reset_received', errno: 'ECONNRESET', seed: null }, /---- application$/],
  ])('%s', (_name, e, want) => {
    expect(humanLine(e)).toMatch(want);
  });

  it('colours only when asked', () => {
    expect(humanLine(refused)).not.toMatch(/\x1b\[/);
    expect(humanLine(refused, ansi)).toMatch(/\x1b\[31mECONNREFUSED/);
  });
});

// The fields every event has, without connect_error's own.
const { async: _async, ...common } = refused as Extract<NetEvent, { event: 'connect_error' }>;
const nx: NetEvent = {
  ...common, event: 'dns_error', errno: 'NXDOMAIN', host: 'nx.example', saddr: '127.0.0.1', sport: 40000,
  daddr: '127.0.0.53', dport: 53, seed: '#024', rung: 'dns',
};
const expired: NetEvent = {
  ...common, event: 'tls_error', errno: 'X509_V_ERR_CERT_HAS_EXPIRED', host: 'old.example', reason: 'expired',
  family: null, saddr: null, sport: null, daddr: null, dport: null, seed: '#025', rung: 'application',
};

describe('jsonLine', () => {
  it.each<[string, NetEvent]>([
    ['connect_error', refused],
    ['dns_error with its host', nx],
    ['dns_error with no host', { ...nx, host: null }],
    ['tls_error with host and reason', expired],
    ['a host that needs escaping', { ...nx, host: 'a"b\\c\u0001' }],
  ])('%s round-trips and keeps the contract order', (_what, e) => {
    const line = jsonLine(e);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(e);
    expect(Object.keys(JSON.parse(line)).slice(0, 2)).toEqual(['time', 'event']);
  });
});

describe('humanLine for names', () => {
  it.each<[string, NetEvent, RegExp]>([
    ['a DNS answer', nx, /dns_error +NXDOMAIN +curl\[812\] +127\.0\.0\.1:40000 -> 127\.0\.0\.53:53 host=nx\.example #024 dns$/],
    ['a certificate', expired, /tls_error +X509_V_ERR_CERT_HAS_EXPIRED curl\[812\] +- -> - host=old\.example #025 application$/],
  ])('%s', (_what, e, want) => {
    expect(humanLine(e)).toMatch(want);
  });
});

describe('humanLine with control characters in names', () => {
  const neighbour: NetEvent = { ...common, event: 'neighbour_failed', errno: 'EHOSTUNREACH', dev: 'eth0', seed: '#029', rung: 'link' };
  const reset: NetEvent = { ...common, event: 'reset_sent', errno: null, reason: 'NO_SOCKET', seed: '#021' };
  it.each<[string, NetEvent, string, string]>([
    ['an escape sequence in comm', { ...refused, comm: 'evil\x1b[2J' }, 'evil\\x1b[2J[812]', '\x1b[2J'],
    ['a newline in comm', { ...refused, comm: 'a\nb' }, 'a\\x0ab[812]', '\n'],
    ['a C1 control in comm', { ...refused, comm: 'x\x9by' }, 'x\\x9by[812]', '\x9b'],
    ['a bell in a DNS host', { ...nx, host: 'ding\x07.example' }, 'host=ding\\x07.example', '\x07'],
    ['a carriage return in a TLS host', { ...expired, host: 'old.example\r' }, 'host=old.example\\x0d', '\r'],
    ['a tab in a device', { ...neighbour, dev: 'et\th0' }, 'dev=et\\x09h0', '\t'],
    ['a delete in a reset reason', { ...reset, reason: 'NO\x7fSOCKET' }, 'reason=NO\\x7fSOCKET', '\x7f'],
  ])('%s', (_what, e, shown, hidden) => {
    for (const paint of [undefined, ansi]) {
      const line = humanLine(e, paint);
      expect(line).toContain(shown);
      expect(line).not.toContain(hidden);
    }
  });
});
