import { describe, expect, it } from 'vitest';
import { decodeBatch } from '../../src/core/decode.js';
import { AF_INET, AF_INET6, FLAGS, HOST_RECORD_SIZE, KIND_CODES, LENGTH_SIZE, RECORD_SIZE } from '../../src/core/layout.js';
import { toEvent, type EventContext } from '../../src/core/to-event.js';
import { record } from '../support/record.js';

const ctx: EventContext = {
  monotonicToUnixMs: Date.UTC(2026, 10, 23, 12, 0, 0),
  cgroupPath: (id) => (id === 42 ? '/system.slice/app.service' : null),
  resetReason: (n) => ['NOT_SPECIFIED', 'NO_SOCKET'][n] ?? null,
};

const LOOPBACK = [127, 0, 0, 1];

describe('decodeBatch', () => {
  it('decodes every field of consecutive records', () => {
    const buf = Buffer.concat([
      record({ tsNs: 1_500_000_123, cgroupId: 42, pid: 7, tid: 8, err: 111, family: AF_INET, sport: 40000, dport: 80, kind: 1, flags: 1, saddr: LOOPBACK, daddr: [10, 0, 0, 9], comm: 'curl' }),
      record({ pid: 0, kind: 4, family: AF_INET6, daddr: [0xfe, 0x80, ...Array(13).fill(0), 1], dev: 'eth0', ifindex: 3 }),
    ]);
    const [a, b] = decodeBatch(buf);
    expect(a).toEqual({
      tsNs: 1_500_000_123, cgroupId: 42, pid: 7, tid: 8, ifindex: 0, reason: 0, err: 111, family: AF_INET,
      sport: 40000, dport: 80, kind: 1, flags: 1, saddr: '127.0.0.1', daddr: '10.0.0.9', comm: 'curl', dev: '', host: null,
    });
    expect(b).toMatchObject({ pid: 0, kind: 4, family: AF_INET6, saddr: null, daddr: 'fe80::1', dev: 'eth0', ifindex: 3 });
  });

  it('reads 64-bit values above 2^32 exactly', () => {
    const [r] = decodeBatch(record({ tsNs: 123_456_789_012_345, cgroupId: 2 ** 40 + 5, kind: 1 }));
    expect(r!.tsNs).toBe(123_456_789_012_345);
    expect(r!.cgroupId).toBe(2 ** 40 + 5);
  });

  it('ignores a trailing partial record', () => {
    const buf = Buffer.concat([record({ kind: 1 }), Buffer.alloc(10)]);
    expect(decodeBatch(buf)).toHaveLength(1);
  });

  it('steps over records of two sizes: names travel in larger ones', () => {
    const wire = [3, 0x77, 0x77, 0x77, 7, ...Buffer.from('example'), 3, ...Buffer.from('com'), 0];
    const buf = Buffer.concat([
      record({ kind: KIND_CODES.connect_error, pid: 1 }),
      record({ kind: KIND_CODES.dns_error, pid: 2, flags: FLAGS.wire_name, host: wire }),
      record({ kind: KIND_CODES.tls_error, pid: 3, host: 'expired.example' }),
      record({ kind: KIND_CODES.dns_error, pid: 4, host: 'nx.example' }),
      record({ kind: KIND_CODES.dns_error, pid: 5 }),
      record({ kind: KIND_CODES.time_wait, pid: 6 }),
    ]);
    expect(buf.byteLength).toBe(6 * LENGTH_SIZE + 2 * RECORD_SIZE + 4 * HOST_RECORD_SIZE);
    expect(decodeBatch(buf).map((r) => [r.pid, r.host])).toEqual([
      [1, null], [2, 'www.example.com'], [3, 'expired.example'], [4, 'nx.example'], [5, null], [6, null],
    ]);
  });

  it('ignores a trailing partial name record', () => {
    const buf = Buffer.concat([record({ kind: 1 }), record({ kind: KIND_CODES.dns_error }).subarray(0, 200)]);
    expect(decodeBatch(buf)).toHaveLength(1);
  });

  it('decodes from a view into a larger buffer', () => {
    const big = Buffer.concat([Buffer.alloc(8), record({ kind: 6, pid: 99, comm: 'x' })]);
    expect(decodeBatch(big.subarray(8))[0]).toMatchObject({ kind: 6, pid: 99, comm: 'x' });
  });
});

describe('decodeBatch: the length before each record', () => {
  it.each([
    { what: 'an event record claiming a name record\'s length', kind: KIND_CODES.connect_error, length: HOST_RECORD_SIZE },
    { what: 'a name record claiming an event record\'s length', kind: KIND_CODES.dns_error, length: RECORD_SIZE },
    { what: 'a record one byte short', kind: KIND_CODES.time_wait, length: RECORD_SIZE - 1 },
    { what: 'a record one byte long', kind: KIND_CODES.tls_error, length: HOST_RECORD_SIZE + 1 },
    { what: 'a record of no bytes', kind: KIND_CODES.bind_error, length: 0 },
  ])('refuses $what, naming the record and both sizes', ({ kind, length }) => {
    const buf = Buffer.concat([record({ kind: KIND_CODES.connect_error }), record({ kind, length }), record({ kind: 1 })]);
    expect(() => decodeBatch(buf)).toThrow(`record 1 is ${length} bytes, but a record of kind ${kind} takes`);
  });

  it.each([
    { what: 'an event record', kind: KIND_CODES.connect_error, size: RECORD_SIZE },
    { what: 'a dns_error record', kind: KIND_CODES.dns_error, size: HOST_RECORD_SIZE },
    { what: 'a tls_error record', kind: KIND_CODES.tls_error, size: HOST_RECORD_SIZE },
    { what: 'a record of an unknown kind', kind: 200, size: RECORD_SIZE },
  ])('walks past $what by the length it carries', ({ kind, size }) => {
    const one = record({ kind, pid: 1 });
    expect(one.readUInt32LE(0)).toBe(size);
    expect(one.byteLength).toBe(LENGTH_SIZE + size);
    expect(decodeBatch(Buffer.concat([one, record({ kind: 1, pid: 2 })])).map((r) => r.pid)).toEqual([1, 2]);
  });

  it.each([
    { what: 'a length cut short', tail: record({ kind: 1 }).subarray(0, 2) },
    { what: 'a length and part of its record', tail: record({ kind: 1 }).subarray(0, LENGTH_SIZE + RECORD_SIZE - 1) },
    { what: 'a name record missing its last byte', tail: record({ kind: KIND_CODES.dns_error }).subarray(0, LENGTH_SIZE + HOST_RECORD_SIZE - 1) },
  ])('leaves out $what at the end', ({ tail }) => {
    expect(decodeBatch(Buffer.concat([record({ kind: 1, pid: 9 }), tail])).map((r) => r.pid)).toEqual([9]);
  });

  it('decodes an empty batch to no records', () => {
    expect(decodeBatch(Buffer.alloc(0))).toEqual([]);
  });
});

describe('toEvent', () => {
  it.each([
    { kind: KIND_CODES.connect_error, err: 111, flags: 1, want: { event: 'connect_error', errno: 'ECONNREFUSED', seed: '#021', rung: 'application', async: true } },
    { kind: KIND_CODES.connect_error, err: 113, flags: 0, want: { event: 'connect_error', errno: 'EHOSTUNREACH', seed: '#022', rung: 'route', async: false } },
    { kind: KIND_CODES.connect_error, err: 110, flags: 0, want: { event: 'connect_error', errno: 'ETIMEDOUT', seed: '#023', rung: 'firewall' } },
    { kind: KIND_CODES.connect_error, err: 101, flags: 0, want: { event: 'connect_error', errno: 'ENETUNREACH', seed: '#026', rung: 'route' } },
    { kind: KIND_CODES.connect_error, err: 99, flags: 0, want: { event: 'connect_error', errno: 'EADDRNOTAVAIL', seed: '#028' } },
    { kind: KIND_CODES.reset_received, err: 104, flags: 1, want: { event: 'reset_received', errno: 'ECONNRESET', seed: null } },
    { kind: KIND_CODES.reset_sent, err: 0, flags: 0, reason: 1, want: { event: 'reset_sent', errno: null, reason: 'NO_SOCKET', seed: '#021' } },
    { kind: KIND_CODES.reset_sent, err: 0, flags: 0, reason: 0, want: { event: 'reset_sent', reason: 'NOT_SPECIFIED', seed: null } },
    { kind: KIND_CODES.neighbour_failed, err: 113, flags: 1, want: { event: 'neighbour_failed', seed: '#029', rung: 'link', dev: 'veth0' } },
    { kind: KIND_CODES.bind_error, err: 98, flags: 0, want: { event: 'bind_error', errno: 'EADDRINUSE', seed: '#027' } },
    { kind: KIND_CODES.time_wait, err: 0, flags: 1, want: { event: 'time_wait', errno: null, seed: '#028' } },
    { kind: KIND_CODES.syn_retransmit, err: 0, flags: 1, want: { event: 'syn_retransmit', errno: null, seed: '#023', rung: 'firewall' } },
    { kind: KIND_CODES.dns_error, err: 2, flags: 0, host: 'nx.example', want: { event: 'dns_error', errno: 'EAI_NONAME', seed: '#024', rung: 'dns', host: 'nx.example' } },
    { kind: KIND_CODES.dns_error, err: 3, flags: 0, host: 'a.example', want: { event: 'dns_error', errno: 'EAI_AGAIN', seed: '#024', host: 'a.example' } },
    { kind: KIND_CODES.dns_error, err: 1003, flags: 4, host: [2, 0x6e, 0x78, 0], want: { event: 'dns_error', errno: 'NXDOMAIN', seed: '#024', rung: 'dns', host: 'nx' } },
    { kind: KIND_CODES.dns_error, err: 1002, flags: 4, host: [0], want: { event: 'dns_error', errno: 'SERVFAIL', host: '.' } },
    { kind: KIND_CODES.dns_error, err: 2000, flags: 4, host: [6, ...Buffer.from('silent'), 0], want: { event: 'dns_error', errno: 'DNS_TIMEOUT', host: 'silent' } },
    { kind: KIND_CODES.dns_error, err: 2, flags: 0, host: '', want: { event: 'dns_error', errno: 'EAI_NONAME', host: null } },
    { kind: KIND_CODES.tls_error, err: 10, flags: 0, host: 'old.example', want: { event: 'tls_error', errno: 'X509_V_ERR_CERT_HAS_EXPIRED', reason: 'expired', seed: '#025', rung: 'application', host: 'old.example' } },
    { kind: KIND_CODES.tls_error, err: 62, flags: 0, want: { event: 'tls_error', errno: 'X509_V_ERR_HOSTNAME_MISMATCH', reason: 'hostname mismatch', host: null } },
  ])('kind $kind errno $err -> $want.event', ({ kind, err, flags, reason, host, want }) => {
    const [r] = decodeBatch(record({ kind, err, flags, reason, host, pid: 5, tid: 6, comm: 'app', family: AF_INET, saddr: LOOPBACK, daddr: LOOPBACK, sport: 1000, dport: 2000, dev: 'veth0' }));
    expect(toEvent(r!, ctx)).toMatchObject({ pid: 5, tid: 6, comm: 'app', ...want });
  });

  it('turns the monotonic timestamp into UTC with milliseconds', () => {
    const [r] = decodeBatch(record({ kind: 1, err: 111, tsNs: 1_234_567_890 }));
    expect(toEvent(r!, ctx)!.time).toBe('2026-11-23T12:00:01.234Z');
  });

  it('says honestly when no process owns the socket', () => {
    const [r] = decodeBatch(record({ kind: KIND_CODES.reset_sent, pid: 0, flags: 2 }));
    expect(toEvent(r!, ctx)).toMatchObject({ pid: 0, comm: null, cgroup: null });
  });

  it('resolves cgroup ids to paths, null when unknown', () => {
    const [a, b] = decodeBatch(Buffer.concat([record({ kind: 1, cgroupId: 42 }), record({ kind: 1, cgroupId: 43 })]));
    expect(toEvent(a!, ctx)!.cgroup).toBe('/system.slice/app.service');
    expect(toEvent(b!, ctx)!.cgroup).toBeNull();
  });

  it('uses null, not 0, for ports and addresses that do not apply', () => {
    const [r] = decodeBatch(record({ kind: KIND_CODES.bind_error, err: 98, family: AF_INET, saddr: LOOPBACK, sport: 80 }));
    expect(toEvent(r!, ctx)).toMatchObject({ family: 'ipv4', saddr: '127.0.0.1', sport: 80, daddr: null, dport: null });
    const [n] = decodeBatch(record({ kind: KIND_CODES.connect_error, err: 111 }));
    expect(toEvent(n!, ctx)).toMatchObject({ family: null, saddr: null, sport: null, daddr: null, dport: null });
  });

  it('drops records of kinds it does not know', () => {
    const [r] = decodeBatch(record({ kind: 200 }));
    expect(toEvent(r!, ctx)).toBeNull();
  });
});
