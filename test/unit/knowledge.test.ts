import { describe, expect, it } from 'vitest';
import { EVENT_NAMES } from '../../src/core/event.js';
import { RUNGS } from '../../src/core/rung.js';
import { place } from '../../src/core/ladder.js';
import { ENTRIES, entryFor } from '../../src/knowledge/entries.js';
import { fill, hasBlank, PERSONAL_BLANKS } from '../../src/knowledge/fill.js';
import { lookup, search } from '../../src/knowledge/lookup.js';
import { entryJson, entryText } from '../../src/knowledge/render.js';
import { RUNG_INFO } from '../../src/knowledge/rungs.js';
import { closest, distance } from '../../src/knowledge/similar.js';

const seeds = (q: string): string[] => {
  const r = lookup(q);
  return r.found ? r.entries.map((e) => e.seed) : [];
};

describe('the knowledge base', () => {
  it('holds the ten errors #021-#030, once each, in order', () => {
    expect(ENTRIES.map((e) => e.seed)).toEqual(['#021', '#022', '#023', '#024', '#025', '#026', '#027', '#028', '#029', '#030']);
  });

  it.each(ENTRIES.map((e) => [e.seed, e] as const))('%s is complete', (_, e) => {
    expect(RUNGS).toContain(e.rung);
    expect(e.title.length).toBeGreaterThan(5);
    expect(e.meaning.length).toBeGreaterThan(30);
    expect(e.cause.length).toBeGreaterThan(20);
    expect(e.causes.length).toBeGreaterThanOrEqual(2);
    expect(e.next.length).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['#021', 'ECONNREFUSED', 'application'],
    ['#022', 'EHOSTUNREACH', 'route'],
    ['#023', 'ETIMEDOUT', 'firewall'],
    ['#024', 'EAI_NONAME', 'dns'],
    ['#025', null, 'application'],
    ['#026', 'ENETUNREACH', 'route'],
    ['#027', 'EADDRINUSE', 'application'],
    ['#028', 'EADDRNOTAVAIL', 'application'],
    ['#029', 'EHOSTUNREACH', 'link'],
    ['#030', null, 'application'],
  ] as const)('%s is %s on the %s rung', (seed, errno, rung) => {
    expect(entryFor(seed)).toMatchObject({ errno, rung });
  });

  it('describes every rung of the ladder', () => {
    for (const r of RUNGS) expect(RUNG_INFO[r]).toMatchObject({ rung: r });
  });
});

describe('lookup', () => {
  it.each([
    ['ECONNREFUSED', ['#021']],
    ['econnrefused', ['#021']],
    ['ETIMEDOUT', ['#023']],
    // an ARP failure reaches the program as EHOSTUNREACH too
    ['EHOSTUNREACH', ['#022', '#029']],
    ['ENETUNREACH', ['#026']],
    ['EAI_NONAME', ['#024']],
    ['NXDOMAIN', ['#024']],
    ['ENOTFOUND', ['#024']],
    ['EAI_AGAIN', ['#024']],
    ['CERT_HAS_EXPIRED', ['#025']],
    ['EADDRINUSE', ['#027']],
    ['#021', ['#021']],
    ['#030', ['#030']],
    ['21', ['#021']],
    ['029', ['#029']],
    ['#26', ['#026']],
    ['  #023  ', ['#023']],
    ['connection refused', ['#021']],
    ['Connection timed out', ['#023']],
    ['timed out', ['#023']],
    ['timeout', ['#023']],
    ['connection', ['#021', '#023']],
    ['no route to host', ['#022']],
    ['network is unreachable', ['#026']],
    ['arp', ['#029']],
    ['neighbor', ['#029']],
    ['certificate expired', ['#025']],
    ['ssl', ['#025']],
    ['dns', ['#024']],
    ['name not known', ['#024']],
    ['time_wait', ['#028']],
    ['too many time_wait', ['#028']],
    ['permission denied publickey', ['#030']],
    ['address already in use', ['#027']],
    // a misspelling that keeps a known stem still finds its entry
    ['certficate', ['#025']],
  ])('%j finds %j', (q, want) => {
    expect(seeds(q)).toEqual(want);
  });

  it.each([
    ['ECONREFUSED', 'ECONNREFUSED'],
    ['ETIMEOUT', 'ETIMEDOUT'],
    ['EHOSTUNREAHC', 'EHOSTUNREACH'],
    ['conection refsed', 'connection refused'],
    ['refsued', 'refused'],
  ])('%j is unknown and suggests %j', (q, suggestion) => {
    expect(lookup(q)).toMatchObject({ found: false, suggestion });
  });

  it.each([['xyzzy'], ['EPERM'], ['the'], ['']])('%j is unknown, with no suggestion and a hint', (q) => {
    const r = lookup(q);
    expect(r).toMatchObject({ found: false, suggestion: null });
    if (!r.found) expect(r.hint).toMatch(/ECONNREFUSED/);
  });

  it.each([['#031'], ['#020'], ['99'], ['-1'], ['1'], ['0'], ['+21'], ['111'], ['#7']])('%j is outside the codes', (q) => {
    expect(lookup(q)).toEqual({ found: false, suggestion: null, hint: 'codes run from #021 to #030' });
  });

  it('ranks the best match first', () => {
    expect(search('connection timed out drop').map((e) => e.seed)).toEqual(['#023']);
    // several entries are about ports; the one whose own words say so leads
    expect(search('port in use')[0]?.seed).toBe('#027');
  });
});

describe('similar', () => {
  it.each([
    ['kitten', 'sitting', 3],
    ['abc', 'abc', 0],
    ['abc', 'acb', 1],
    ['', 'abc', 3],
  ])('distance(%j, %j) = %i', (a, b, d) => {
    expect(distance(a, b)).toBe(d);
  });

  it('offers nothing too far away', () => {
    expect(closest('zzzz', ['ECONNREFUSED'])).toBeNull();
    expect(closest('ECONNREFUSD', ['ETIMEDOUT', 'ECONNREFUSED'])).toBe('ECONNREFUSED');
  });
});

describe('fill', () => {
  it.each([
    ["ss -tlnp 'sport = :PORT'", { PORT: '80' }, "ss -tlnp 'sport = :80'"],
    ['tcpdump -ni any host DEST and port PORT', { DEST: '10.0.0.2' }, 'tcpdump -ni any host 10.0.0.2 and port PORT'],
    ['openssl s_client -connect DEST:PORT -servername HOST', { DEST: '::1', PORT: '443', HOST: 'a.test' }, 'openssl s_client -connect ::1:443 -servername a.test'],
    ['journalctl -u SERVICE', { HOST: 'x' }, 'journalctl -u SERVICE'],
    ['ip neigh flush dev DEV', { DEV: 'eth0' }, 'ip neigh flush dev eth0'],
  ])('%j', (cmd, blanks, want) => {
    expect(fill(cmd, blanks)).toBe(want);
  });
});

describe('render', () => {
  it('gives the explain --json contract fields first', () => {
    const j = entryJson(entryFor('#021'));
    expect(Object.keys(j).slice(0, 6)).toEqual(['seed', 'errno', 'title', 'rung', 'cause', 'next']);
    expect(j).toMatchObject({ seed: '#021', errno: 'ECONNREFUSED', rung: 'application' });
    expect(j.next[0]).toBe('ss -tlnp');
  });

  it('prints the entry for people without colour by default', () => {
    const t = entryText(entryFor('#023'));
    expect(t).toMatch(/^#023 {2}Connection timed out/);
    expect(t).toContain('tcpdump');
    expect(t).not.toContain('\x1b[');
  });
});

describe('the ladder placement of events agrees with the knowledge base', () => {
  // The results place() has always given: watch, top, the exporter and
  // diagnose depend on them.
  it.each([
    ['connect_error', 'ECONNREFUSED', null, '#021', 'application'],
    ['connect_error', 'EHOSTUNREACH', null, '#022', 'route'],
    ['connect_error', 'ETIMEDOUT', null, '#023', 'firewall'],
    ['connect_error', 'ENETUNREACH', null, '#026', 'route'],
    ['connect_error', 'EADDRNOTAVAIL', null, '#028', 'application'],
    ['connect_error', 'EPERM', null, null, 'firewall'],
    ['connect_error', 'EACCES', null, null, 'firewall'],
    ['connect_error', 'EINVAL', null, null, 'application'],
    ['syn_retransmit', null, null, '#023', 'firewall'],
    ['reset_received', null, null, null, 'application'],
    ['reset_sent', null, 'NO_SOCKET', '#021', 'application'],
    ['reset_sent', null, 'NOT_SPECIFIED', null, 'application'],
    ['neighbour_failed', null, null, '#029', 'link'],
    ['bind_error', 'EADDRINUSE', null, '#027', 'application'],
    ['bind_error', 'EADDRNOTAVAIL', null, null, 'address'],
    ['bind_error', 'EACCES', null, null, 'application'],
    ['time_wait', null, null, '#028', 'application'],
    ['dns_error', 'EAI_NONAME', null, '#024', 'dns'],
    ['tls_error', null, null, '#025', 'application'],
  ] as const)('%s %s %s -> %s %s', (event, errno, reason, seed, rung) => {
    expect(place(event, errno, reason)).toEqual({ seed, rung });
  });

  it('places every coded event on the rung of its entry', () => {
    for (const event of EVENT_NAMES) {
      for (const errno of [null, 'ECONNREFUSED', 'EHOSTUNREACH', 'ETIMEDOUT', 'ENETUNREACH', 'EADDRINUSE', 'EADDRNOTAVAIL']) {
        const p = place(event, errno);
        if (p.seed) expect(p.rung).toBe(entryFor(p.seed).rung);
      }
    }
  });
});

describe('placeholders', () => {
  const commands = [...ENTRIES.flatMap((e) => e.next), ...Object.values(RUNG_INFO).flatMap((r) => r.next)];

  it.each(commands)('%s: every capitalised word is a placeholder', (c) => {
    for (const word of c.match(/\b[A-Z][A-Z_]{2,}\b/g) ?? []) expect(hasBlank(word)).toBe(true);
  });

  it('fill() leaves only the ones a person fills', () => {
    const all = { HOST: 'h', DEST: 'd', PORT: '1', DEV: 'v', NEXTHOP: 'n' };
    for (const c of commands) {
      const left = fill(c, all).match(/\b[A-Z][A-Z_]{2,}\b/g) ?? [];
      for (const word of left) expect(PERSONAL_BLANKS).toContain(word);
    }
    expect(hasBlank('ss -s')).toBe(false);
  });
});
