// iproute2's JSON output (ip -j) read into facts. The parsers are pure.
import type { Family } from '../../core/event.js';
import type { LinkAddress, LinkFact, RouteFact } from '../facts.js';
import { run } from './run.js';

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function str(x: unknown): string | null {
  return typeof x === 'string' ? x : null;
}
function strings(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
}

// strerror() texts `ip route get` prints after "RTNETLINK answers:".
const ERRNO_OF: Readonly<Record<string, string>> = {
  'Network is unreachable': 'ENETUNREACH',
  'No route to host': 'EHOSTUNREACH',
  'Permission denied': 'EACCES',
  'Invalid argument': 'EINVAL',
  'Network is down': 'ENETDOWN',
};

export function routeError(stderr: string): RouteFact {
  const message = stderr.replace(/^RTNETLINK answers:\s*/, '').trim();
  return { ok: false, errno: ERRNO_OF[message] ?? 'EINVAL', message };
}

export function parseRoute(json: unknown): RouteFact {
  const r = Array.isArray(json) ? json[0] : undefined;
  if (!isObject(r) || !str(r.dev)) return { ok: false, errno: 'EINVAL', message: 'ip route get gave no route' };
  return {
    ok: true,
    type: str(r.type) ?? 'unicast',
    dev: str(r.dev) ?? '',
    gateway: str(r.gateway),
    prefsrc: str(r.prefsrc),
  };
}

function family(f: unknown): Family | null {
  return f === 'inet' ? 'ipv4' : f === 'inet6' ? 'ipv6' : null;
}

export function parseLinks(json: unknown): LinkFact[] {
  if (!Array.isArray(json)) return [];
  return json.filter(isObject).map((l) => {
    const flags = strings(l.flags);
    const addresses: LinkAddress[] = [];
    for (const a of Array.isArray(l.addr_info) ? l.addr_info.filter(isObject) : []) {
      const fam = family(a.family);
      const local = str(a.local);
      if (fam && local) addresses.push({ family: fam, local, prefixlen: Number(a.prefixlen ?? 0), scope: str(a.scope) ?? 'global' });
    }
    return {
      name: str(l.ifname) ?? '?',
      up: flags.includes('UP'),
      carrier: flags.includes('LOWER_UP'),
      loopback: flags.includes('LOOPBACK'),
      addresses,
    };
  });
}

export function parseNeighbourStates(json: unknown): string[] {
  const n = Array.isArray(json) ? json.find(isObject) : undefined;
  return n ? strings(n.state) : [];
}

async function ipJson(args: string[], timeoutMs: number): Promise<{ ok: true; json: unknown } | { ok: false; stderr: string }> {
  const r = await run('ip', ['-j', ...args], timeoutMs);
  if (!r.ok) return r;
  try {
    return { ok: true, json: r.stdout.trim() ? JSON.parse(r.stdout) : [] };
  } catch {
    return { ok: false, stderr: `ip ${args.join(' ')} printed no JSON` };
  }
}

export async function routeTo(address: string, timeoutMs: number): Promise<RouteFact> {
  const r = await ipJson(['route', 'get', address], timeoutMs);
  return r.ok ? parseRoute(r.json) : routeError(r.stderr);
}

export async function links(timeoutMs: number): Promise<LinkFact[]> {
  const r = await ipJson(['addr', 'show'], timeoutMs);
  return r.ok ? parseLinks(r.json) : [];
}

export async function neighbourStates(address: string, dev: string, timeoutMs: number): Promise<string[]> {
  const r = await ipJson(['neigh', 'show', 'to', address, 'dev', dev], timeoutMs);
  return r.ok ? parseNeighbourStates(r.json) : [];
}
