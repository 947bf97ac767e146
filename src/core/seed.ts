// The article's ten errors, #021-#030, and the rung each is looked for on.
// The knowledge base describes them in words; their rungs are decided here,
// so that watch's hot path needs no knowledge base (test/unit/vocabulary.test.ts
// holds the two in agreement).
import type { Rung } from './rung.js';

export const SEEDS = ['#021', '#022', '#023', '#024', '#025', '#026', '#027', '#028', '#029', '#030'] as const;
export type Seed = (typeof SEEDS)[number];

export const SEED_RUNG: Readonly<Record<Seed, Rung>> = {
  '#021': 'application', // connection refused
  '#022': 'route', // no route to host
  '#023': 'firewall', // connection timed out
  '#024': 'dns', // name or service not known
  '#025': 'application', // TLS certificate verify failed
  '#026': 'route', // network is unreachable
  '#027': 'application', // address already in use
  '#028': 'application', // too many TIME_WAIT sockets
  '#029': 'link', // ARP resolution failed
  '#030': 'application', // ssh: permission denied (publickey)
};
