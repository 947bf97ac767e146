import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../../src/core/event.js';
import { matches, parseFilter } from '../../src/core/filter.js';
import { UsageError } from '../../src/core/usage-error.js';

const base: NetEvent = {
  time: '2026-11-23T12:00:00.000Z', event: 'connect_error', errno: 'ECONNREFUSED', async: false, pid: 10, tid: 10,
  comm: 'curl', cgroup: null, family: 'ipv4', saddr: null, sport: null, daddr: '127.0.0.1', dport: 1, seed: '#021', rung: 'application',
};
const tw: NetEvent = { ...base, event: 'time_wait', errno: null, pid: 11, comm: 'nginx', seed: '#028' };

describe('parseFilter', () => {
  it.each([
    [{ pid: '12' }, { pid: 12 }],
    [{ pid: '4194303' }, { pid: 4194303 }],
    [{ comm: 'nginx' }, { comm: 'nginx' }],
    [{ event: 'connect_error, time_wait' }, { events: new Set(['connect_error', 'time_wait']) }],
    [{ errno: 'econnrefused,ETIMEDOUT' }, { errnos: new Set(['ECONNREFUSED', 'ETIMEDOUT']) }],
    [{ errno: 'EAI_NONAME' }, { errnos: new Set(['EAI_NONAME']) }],
    [{ errno: 'nxdomain,SERVFAIL,dns_timeout' }, { errnos: new Set(['NXDOMAIN', 'SERVFAIL', 'DNS_TIMEOUT']) }],
    [{ errno: 'X509_V_ERR_CERT_HAS_EXPIRED' }, { errnos: new Set(['X509_V_ERR_CERT_HAS_EXPIRED']) }],
    [{}, {}],
  ])('%j', (opts, want) => {
    expect(parseFilter(opts)).toEqual(want);
  });

  it.each([
    [{ pid: 'abc' }, /--pid takes a process id/],
    [{ pid: '-3' }, /--pid/],
    [{ pid: '99999999999999999999999' }, /^--pid takes a process id \(below 4194304\), not "99999999999999999999999"$/],
    [{ pid: '4194304' }, /^--pid takes a process id \(below 4194304\)/],
    [{ comm: '' }, /--comm/],
    [{ comm: 'a-very-long-command-name' }, /15 characters/],
    [{ event: 'connect_eror' }, /unknown event "connect_eror"/],
    [{ event: ',' }, /unknown event/],
    [{ errno: 'EWHAT' }, /unknown errno "EWHAT"/],
    [{ errno: 'NXDOMAINX' }, /unknown errno "NXDOMAINX"/],
    [{ errno: 'EAI_WHAT' }, /unknown errno "EAI_WHAT"/],
  ])('rejects %j', (opts, message) => {
    expect(() => parseFilter(opts)).toThrow(UsageError);
    expect(() => parseFilter(opts)).toThrow(message);
  });
});

describe('matches', () => {
  it.each([
    [{}, base, true],
    [{ pid: 10 }, base, true],
    [{ pid: 11 }, base, false],
    [{ comm: 'curl' }, base, true],
    [{ comm: 'nginx' }, base, false],
    [{ events: new Set(['time_wait'] as const) }, tw, true],
    [{ events: new Set(['time_wait'] as const) }, base, false],
    [{ errnos: new Set(['ECONNREFUSED']) }, base, true],
    [{ errnos: new Set(['ECONNREFUSED']) }, tw, false],
    [{ pid: 10, errnos: new Set(['ETIMEDOUT']) }, base, false],
  ])('%j on %s', (f, e, want) => {
    expect(matches(f, e)).toBe(want);
  });
});
