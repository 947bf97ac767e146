// From observations to a diagnosis: judge the rungs in ladder order, stop at
// the first that fails, and say what to run next. Pure but for the gathering
// a caller hands in.
import { RUNGS, type Rung } from '../core/rung.js';
import type { Seed } from '../core/seed.js';
import { entryFor } from '../knowledge/entries.js';
import { fill, type Blanks } from '../knowledge/fill.js';
import { RUNG_INFO } from '../knowledge/rungs.js';
import type { Check, Facts } from './facts.js';
import { judgeAddress } from './judge/address.js';
import { judgeApplication } from './judge/application.js';
import { judgeDns } from './judge/dns.js';
import { judgeFirewall } from './judge/firewall.js';
import { judgeLink } from './judge/link.js';
import { judgeRoute } from './judge/route.js';
import { targetText } from './target.js';

const JUDGES: Readonly<Record<Rung, (f: Facts) => Check | null>> = {
  link: judgeLink,
  address: judgeAddress,
  route: judgeRoute,
  firewall: judgeFirewall,
  dns: judgeDns,
  application: judgeApplication,
};

export interface Verdict {
  rung: Rung | null;
  errno: string | null;
  seed: Seed | null;
  next: string[];
  reason?: string;
}

/** `diagnose --json`, as the README documents it. */
export interface Diagnosis {
  target: string;
  rungs: { rung: Rung; ok: boolean; detail: string }[];
  verdict: Verdict;
}

export function blanks(f: Facts): Blanks {
  const b: Blanks = { HOST: f.target.host, DEST: f.dest.address };
  if (f.target.port !== null) b.PORT = String(f.target.port);
  if (f.route?.ok) {
    b.DEV = f.route.dev;
    b.NEXTHOP = f.route.gateway ?? f.dest.address;
  }
  if (f.neighbour) b.NEXTHOP = f.neighbour.nextHop;
  return b;
}

export function verdictOf(failed: Check | undefined, f: Facts): Verdict {
  if (!failed) return { rung: null, errno: null, seed: null, next: [] };
  const commands = failed.seed ? entryFor(failed.seed).next : RUNG_INFO[failed.rung].next;
  const v: Verdict = { rung: failed.rung, errno: failed.errno, seed: failed.seed, next: commands.map((c) => fill(c, blanks(f))) };
  if (failed.reason !== undefined) v.reason = failed.reason;
  return v;
}

function conclude(f: Facts, checks: Check[]): Diagnosis {
  return {
    target: targetText(f.target),
    rungs: checks.map(({ rung, ok, detail }) => ({ rung, ok, detail })),
    verdict: verdictOf(checks.find((c) => !c.ok), f),
  };
}

/** Brings into the facts what one rung needs before it is judged. */
export type Gather = (f: Facts) => Promise<void>;

/** The one rung loop, run by the walk (which gathers each rung's facts just
 *  before judging it, so nothing above a failed rung is ever probed) and by
 *  the tests (whose facts are all there already). */
export async function decide(f: Facts, gather?: Readonly<Record<Rung, Gather>>): Promise<Diagnosis> {
  const checks: Check[] = [];
  for (const rung of RUNGS) {
    if (gather) await gather[rung](f);
    const c = JUDGES[rung](f);
    if (!c) continue;
    checks.push(c);
    if (!c.ok) break;
  }
  return conclude(f, checks);
}
