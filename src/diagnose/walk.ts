// The ladder walk against a live target: what each rung needs is gathered
// here (the only effects); decide() climbs the rungs and judges them.
import type { Rung } from '../core/rung.js';
import { decide, type Diagnosis, type Gather } from './decide.js';
import { chooseDest } from './dest.js';
import type { Facts, Target } from './facts.js';
import { probeConnect } from './probe/connect.js';
import { links, routeTo } from './probe/ip-json.js';
import { nameservers } from './probe/nameservers.js';
import { probeNeighbour } from './probe/neighbour.js';
import { resolve } from './probe/resolve.js';
import { readRules } from './probe/rules.js';
import { probeTls } from './probe/tls.js';

const nothing: Gather = async () => {};

const GATHER: Readonly<Record<Rung, Gather>> = {
  async link(f) {
    f.route = await routeTo(f.dest.address, f.timeoutMs);
    f.links = await links(f.timeoutMs);
    const r = f.route;
    const link = r.ok ? f.links.find((l) => l.name === r.dev) : undefined;
    f.neighbour =
      r.ok && r.type !== 'local' && link && !link.loopback && link.up && link.carrier
        ? await probeNeighbour(f.dest, r.dev, r.gateway ?? f.dest.address, f.timeoutMs)
        : null;
  },
  address: nothing,
  route: nothing,
  async firewall(f) {
    f.rules = await readRules(f.dest, f.target.port, f.route, f.timeoutMs);
    f.connect =
      f.target.port !== null && f.dest.why === 'target' ? await probeConnect(f.dest, f.target.port, f.timeoutMs) : null;
  },
  dns: nothing,
  async application(f) {
    const { target, connect } = f;
    f.tls =
      target.tls && target.port !== null && connect?.outcome === 'open'
        ? await probeTls(f.dest, target.port, target.host, target.literal === null, f.timeoutMs)
        : null;
  },
};

export async function walk(target: Target, timeoutMs: number): Promise<Diagnosis> {
  // Resolution comes first although DNS is judged fifth: the lower rungs
  // need to know which address they are about.
  const resolution = target.literal ? ({ kind: 'literal' } as const) : await resolve(target.host, timeoutMs);
  const servers = nameservers();
  const f: Facts = { target, timeoutMs, nameservers: servers, resolution, dest: chooseDest(target, resolution, servers) };
  return decide(f, GATHER);
}
