// What the probes observed, as plain values: the judges decide on these
// alone, so every verdict can be tested without a network.
import type { Family } from '../core/event.js';
import type { Rung } from '../core/rung.js';
import type { Seed } from '../core/seed.js';

export interface Target {
  /** a name or an address, without brackets */
  host: string;
  port: number | null;
  /** the family when host is an address literal, else null */
  literal: Family | null;
  /** check the TLS handshake and certificate after connecting */
  tls: boolean;
}

export type Resolution =
  | { kind: 'literal' }
  | { kind: 'resolved'; addresses: { address: string; family: Family }[]; ms: number }
  /** code: EAI_NONAME (NXDOMAIN), EAI_AGAIN (no answer, SERVFAIL), EAI_NODATA, ... */
  | { kind: 'failed'; code: string; ms: number }
  | { kind: 'timeout'; ms: number };

/** Where the lower rungs look: the target, or, when its name does not
 *  resolve, the nameserver the resolution depends on. */
export interface Dest {
  address: string;
  family: Family;
  why: 'target' | 'nameserver';
}

export type RouteFact =
  | { ok: true; type: string; dev: string; gateway: string | null; prefsrc: string | null }
  | { ok: false; errno: string; message: string };

export interface LinkAddress {
  family: Family;
  local: string;
  prefixlen: number;
  scope: string;
}

export interface LinkFact {
  name: string;
  /** administratively up (ip link set DEV up) */
  up: boolean;
  /** the driver reports carrier (LOWER_UP) */
  carrier: boolean;
  loopback: boolean;
  addresses: LinkAddress[];
}

export interface NeighbourFact {
  nextHop: string;
  dev: string;
  /** as `ip neigh` reports them after the probe; empty when no entry appeared */
  states: string[];
}

/** A local rule that certainly stops the traffic. */
export interface Blocker {
  verdict: 'drop' | 'reject';
  /** "ip filter OUTPUT" */
  where: string;
  rule: string;
}

export type RulesFact =
  | { readable: true; blockers: Blocker[]; unsure: string[] }
  | { readable: false; why: string };

export type ConnectFact =
  | { outcome: 'open'; ms: number }
  | { outcome: 'refused'; ms: number }
  | { outcome: 'timeout'; ms: number }
  | { outcome: 'error'; errno: string; ms: number };

export type TlsFact =
  | { ok: true; protocol: string; subject: string; issuer: string; validTo: string }
  | { ok: false; code: string; message: string; certificate: boolean };

export interface Facts {
  target: Target;
  timeoutMs: number;
  nameservers: string[];
  resolution: Resolution;
  dest: Dest;
  route?: RouteFact;
  links?: LinkFact[];
  /** null when there is no next hop to ask (local or loopback destination) */
  neighbour?: NeighbourFact | null;
  rules?: RulesFact;
  /** null when nothing was connected: no port, or the name did not resolve */
  connect?: ConnectFact | null;
  /** null when TLS was not checked */
  tls?: TlsFact | null;
}

export interface Check {
  rung: Rung;
  ok: boolean;
  detail: string;
  errno: string | null;
  seed: Seed | null;
  /** a finer code than errno (TLS verification codes) */
  reason?: string;
}
