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

describe('jsonLine', () => {
  it('round-trips and keeps the contract order', () => {
    const line = jsonLine(refused);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(refused);
    expect(Object.keys(JSON.parse(line)).slice(0, 2)).toEqual(['time', 'event']);
  });
});
