// Which local nftables rules (iptables-nft rules included) would stop the
// traffic to the target, read from `nft -j list ruleset`. Only rules whose
// every condition can be decided for the packet count as blockers; the
// rest are reported as unsure, never as a verdict.
import type { Blocker, RulesFact } from '../facts.js';
import { describeRule } from './describe.js';
import { matches } from './match.js';
import type { Packet, Truth } from './packet.js';

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

interface Chain {
  family: string;
  table: string;
  name: string;
  hook: string | null;
  type: string | null;
  policy: string | null;
}

interface Rule {
  family: string;
  table: string;
  chain: string;
  handle: number;
  expr: unknown[];
}

export interface Ruleset {
  chains: Chain[];
  rules: Rule[];
}

export function parseRuleset(json: unknown): Ruleset {
  const items = isObject(json) && Array.isArray(json.nftables) ? json.nftables : [];
  const chains: Chain[] = [];
  const rules: Rule[] = [];
  for (const it of items) {
    if (!isObject(it)) continue;
    const c = it.chain;
    if (isObject(c))
      chains.push({
        family: String(c.family),
        table: String(c.table),
        name: String(c.name),
        hook: typeof c.hook === 'string' ? c.hook : null,
        type: typeof c.type === 'string' ? c.type : null,
        policy: typeof c.policy === 'string' ? c.policy : null,
      });
    const r = it.rule;
    if (isObject(r) && Array.isArray(r.expr))
      rules.push({ family: String(r.family), table: String(r.table), chain: String(r.chain), handle: Number(r.handle), expr: r.expr });
  }
  return { chains, rules };
}

type Stop = { verdict: 'accept' | 'drop' | 'reject'; sure: boolean; rule: string } | null;

interface Walk {
  set: Ruleset;
  packet: Packet;
  unsure: string[];
  depth: number;
  /** false once a rule that may or may not match has been passed, since it
   *  could have decided the packet's fate first */
  sure: boolean;
}

function where(c: { family: string; table: string; name?: string; chain?: string }): string {
  return `${c.family} ${c.table} ${c.name ?? c.chain}`;
}

/** A statement that ends the chain's walk, if this is one. */
function terminal(e: unknown): 'accept' | 'drop' | 'reject' | 'return' | { jump: string } | { goto: string } | null {
  if (!isObject(e)) return null;
  if ('accept' in e) return 'accept';
  if ('drop' in e) return 'drop';
  if ('reject' in e) return 'reject';
  if ('return' in e) return 'return';
  if (isObject(e.jump) && typeof e.jump.target === 'string') return { jump: e.jump.target };
  if (isObject(e.goto) && typeof e.goto.target === 'string') return { goto: e.goto.target };
  // iptables-nft keeps targets it cannot translate as xt expressions
  if (isObject(e.xt) && e.xt.type === 'target') {
    if (e.xt.name === 'REJECT') return 'reject';
    if (e.xt.name === 'DROP') return 'drop';
    if (e.xt.name === 'ACCEPT') return 'accept';
  }
  return null;
}

function walkChain(w: Walk, family: string, table: string, name: string): Stop | 'return' {
  if (w.depth > 16) return { verdict: 'accept', sure: false, rule: 'chains nested too deep' };
  for (const r of w.set.rules) {
    if (r.family !== family || r.table !== table || r.chain !== name) continue;
    let holds: Truth = true;
    let end: ReturnType<typeof terminal> = null;
    for (const e of r.expr) {
      if (isObject(e) && 'match' in e) {
        const t = matches(e.match, w.packet);
        if (t === false) holds = false;
        else if (t === 'unknown' && holds === true) holds = 'unknown';
        if (holds === false) break;
        continue;
      }
      end = terminal(e);
      if (end) break;
      // Statements other than matches and verdicts (limit, quota, xt match,
      // meter) can make a rule skip packets: treat them as unknowns.
      if (isObject(e) && !('counter' in e) && !('log' in e) && !('comment' in e) && !(isObject(e.xt) && e.xt.type === 'target'))
        holds = holds === false ? false : 'unknown';
    }
    if (holds === false || !end) continue;
    const text = `handle ${r.handle}: ${describeRule(r.expr)}`;
    if (holds === 'unknown') {
      if (end === 'drop' || end === 'reject') w.unsure.push(`${where(r)} ${text}`);
      // an accept or jump that may apply makes what follows uncertain
      w.sure = false;
      continue;
    }
    if (end === 'return') return 'return';
    if (typeof end === 'object') {
      const target = 'jump' in end ? end.jump : end.goto;
      w.depth++;
      const sub = walkChain(w, family, table, target);
      w.depth--;
      if (sub !== 'return' && sub !== null) return sub;
      if ('goto' in end) return 'return';
      continue;
    }
    return { verdict: end, sure: w.sure, rule: text };
  }
  return null;
}

const HOOKS = { out: ['output', 'postrouting'], in: ['prerouting', 'input'] } as const;

function familyFits(tableFamily: string, p: Packet): boolean {
  return tableFamily === 'inet' || (tableFamily === 'ip' && p.family === 'ipv4') || (tableFamily === 'ip6' && p.family === 'ipv6');
}

/** Rules that certainly stop the packet, and those that might. Every base
 *  chain on the packet's hooks must let it pass; one drop is enough. */
export function blockers(set: Ruleset, packet: Packet): { blockers: Blocker[]; unsure: string[] } {
  const found: Blocker[] = [];
  const unsure: string[] = [];
  const hooks: readonly string[] = HOOKS[packet.dir];
  for (const c of set.chains) {
    if (!c.hook || !hooks.includes(c.hook) || !familyFits(c.family, packet)) continue;
    if (c.type !== null && c.type !== 'filter') continue; // nat chains translate, they do not filter
    const w: Walk = { set, packet, unsure, depth: 0, sure: true };
    const r = walkChain(w, c.family, c.table, c.name);
    const stop = r === 'return' ? null : r;
    if (stop && stop.verdict !== 'accept') {
      if (stop.sure) found.push({ verdict: stop.verdict, where: where(c), rule: stop.rule });
      else unsure.push(`${where(c)} ${stop.rule}`);
    } else if (!stop && c.policy === 'drop') {
      const rule = 'the chain policy is drop and no rule accepts the packet';
      if (w.sure) found.push({ verdict: 'drop', where: where(c), rule });
      else unsure.push(`${where(c)} ${rule}`);
    }
  }
  return { blockers: found, unsure };
}

export function rulesFact(set: Ruleset, packets: Packet[]): RulesFact {
  const all = packets.map((p) => blockers(set, p));
  return { readable: true, blockers: all.flatMap((a) => a.blockers), unsure: all.flatMap((a) => a.unsure) };
}
