// Does one `match` expression of `nft -j list ruleset` hold for a packet?
import { inPrefix, inRange } from '../prefix.js';
import type { Packet, Truth } from './packet.js';

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The packet's value for the left side of a match, 'unknown' when it is
 *  something netladder does not model (marks, conntrack zones, ...), or
 *  null when the field does not exist for this packet (tcp dport of a
 *  UDP packet, ip daddr of an IPv6 one): then the match cannot hold. */
function fieldOf(left: unknown, p: Packet): string | number | string[] | null | 'unknown' {
  if (!isObject(left)) return 'unknown';
  const payload = left.payload;
  if (isObject(payload)) {
    const { protocol, field } = payload;
    if (protocol === 'ip' || protocol === 'ip6') {
      if ((protocol === 'ip') !== (p.family === 'ipv4')) return null;
      if (field === 'protocol' || field === 'nexthdr') return p.proto ?? 'unknown';
      const peerField = p.dir === 'out' ? 'daddr' : 'saddr';
      if (field === peerField) return p.peer;
      if (field === 'daddr' || field === 'saddr') return p.local ?? 'unknown';
      return 'unknown';
    }
    if (protocol === 'tcp' || protocol === 'udp' || protocol === 'th') {
      if (protocol !== 'th' && p.proto !== protocol) return p.proto === null ? 'unknown' : null;
      const peerField = p.dir === 'out' ? 'dport' : 'sport';
      if (field === peerField) return p.peerPort ?? 'unknown';
      return 'unknown'; // the ephemeral port, or flags
    }
    return 'unknown';
  }
  const meta = left.meta;
  if (isObject(meta)) {
    switch (meta.key) {
      case 'l4proto':
        return p.proto ?? 'unknown';
      case 'nfproto':
        return p.family;
      case 'oifname':
        return p.dir === 'out' ? (p.dev ?? 'unknown') : 'unknown';
      case 'iifname':
        return p.dir === 'in' ? (p.dev ?? 'unknown') : 'unknown';
      default:
        return 'unknown';
    }
  }
  const ct = left.ct;
  if (isObject(ct) && ct.key === 'state') return [p.ct];
  return 'unknown';
}

/** Does the value fall under one element of the right side? */
function covers(right: unknown, value: string | number, p: Packet): Truth {
  if (typeof right === 'string' && right.startsWith('@')) return 'unknown'; // a named set
  if (typeof right === 'number') return right === value;
  if (typeof right === 'string') {
    // interface names may end in a wildcard
    if (right.endsWith('*') && typeof value === 'string') return value.startsWith(right.slice(0, -1));
    return right === String(value);
  }
  if (Array.isArray(right)) return anyOf(right.map((r) => covers(r, value, p)));
  if (!isObject(right)) return 'unknown';
  if (Array.isArray(right.set)) return anyOf(right.set.map((r) => covers(r, value, p)));
  const prefix = right.prefix;
  if (isObject(prefix) && typeof prefix.addr === 'string' && typeof value === 'string')
    return inPrefix(value, p.family, prefix.addr, Number(prefix.len));
  const range = right.range;
  if (Array.isArray(range) && range.length === 2) {
    const [lo, hi] = range;
    if (typeof value === 'number' && typeof lo === 'number' && typeof hi === 'number') return value >= lo && value <= hi;
    if (typeof value === 'string' && typeof lo === 'string' && typeof hi === 'string') return inRange(value, p.family, lo, hi);
  }
  return 'unknown';
}

function anyOf(ts: Truth[]): Truth {
  if (ts.includes(true)) return true;
  return ts.includes('unknown') ? 'unknown' : false;
}

function not(t: Truth): Truth {
  return t === 'unknown' ? 'unknown' : !t;
}

export function matches(m: unknown, p: Packet): Truth {
  if (!isObject(m)) return 'unknown';
  const value = fieldOf(m.left, p);
  if (value === null) return false;
  if (value === 'unknown') return 'unknown';
  // ct state is a bit set: "ct state established,related" holds when any is set
  const t = Array.isArray(value) ? anyOf(value.map((v) => covers(m.right, v, p))) : covers(m.right, value, p);
  switch (m.op) {
    case '==':
    case 'in':
    case undefined:
      return t;
    case '!=':
      return not(t);
    default:
      return 'unknown';
  }
}
