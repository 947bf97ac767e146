// The packet a rule is tested against: the SYN going out, or the answer
// coming back.
import type { Family } from '../../core/event.js';

export interface Packet {
  family: Family;
  /** out: hooks output/postrouting; in: input/prerouting */
  dir: 'out' | 'in';
  /** this host's address, when known */
  local: string | null;
  peer: string;
  /** the target's port; null when none was given */
  peerPort: number | null;
  proto: 'tcp' | null;
  dev: string | null;
  /** conntrack's view: the SYN is new, the answer established */
  ct: 'new' | 'established';
}

/** A match holds, cannot hold, or depends on what netladder cannot see. */
export type Truth = true | false | 'unknown';
