// Rung 4, firewall: no local rule stops the traffic, and the target answers
// (refused or accepted) instead of staying silent.
import { connectSeed } from '../../core/ladder.js';
import type { Check, ConnectFact, Facts, RulesFact } from '../facts.js';
import { destName, fail, pass } from './check.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function errnoOf(c: ConnectFact): string | null {
  switch (c.outcome) {
    case 'open':
      return null;
    case 'refused':
      return 'ECONNREFUSED';
    case 'timeout':
      return 'ETIMEDOUT';
    case 'error':
      return c.errno;
  }
}

function rulesNote(r: RulesFact | undefined): string {
  if (!r) return '';
  if (!r.readable) return `; local rules not read (${r.why})`;
  if (r.unsure.length) return `; a rule netladder cannot fully evaluate might still match: ${r.unsure[0]}`;
  return '';
}

export function judgeFirewall(f: Facts): Check {
  const { dest, rules, connect } = f;
  const to = destName(dest);
  const port = f.target.port;
  const blocker = rules?.readable ? rules.blockers[0] : undefined;
  // A capture beats a theory: a connection that opened shows no rule stopped it.
  if (blocker && connect?.outcome !== 'open') {
    const errno = connect ? errnoOf(connect) : null;
    const seed = blocker.verdict === 'drop' ? '#023' : errno ? connectSeed(errno) : null;
    return fail('firewall', `a local rule ${blocker.verdict}s traffic to ${to}: ${blocker.where} ${blocker.rule}`, errno, seed);
  }
  if (!connect) {
    const scope = port === null ? 'no port given, so filtering on the way was not tested' : 'no connection tried';
    return pass('firewall', `no local rule stops traffic to ${to}; ${scope}${rulesNote(rules)}`);
  }
  switch (connect.outcome) {
    case 'timeout':
      return fail(
        'firewall',
        `no answer from ${to}:${port} within ${seconds(connect.ms)}: the packets are dropped on the way (a firewall) or the host is down${rulesNote(rules)}`,
        'ETIMEDOUT',
        '#023',
      );
    case 'error': {
      const why =
        connect.errno === 'EPERM' || connect.errno === 'EACCES'
          ? 'this host refused to send it (local policy)'
          : 'a router or a rejecting firewall on the way sent back an ICMP error';
      return fail('firewall', `connecting to ${to}:${port} failed with ${connect.errno}: ${why}`, connect.errno, connectSeed(connect.errno));
    }
    case 'refused':
      return pass('firewall', `${to} answered (with a reset), so nothing on the way drops the traffic${rulesNote(rules)}`);
    case 'open':
      return pass('firewall', `${to}:${port} answered; nothing on the way drops the traffic`);
  }
}
