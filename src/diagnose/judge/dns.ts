// Rung 5, DNS: the name resolves through the system's configuration, and a
// failure says which kind: the name does not exist, or nobody answered.
import type { Check, Facts } from '../facts.js';
import { fail, pass } from './check.js';

const WHY: Readonly<Record<string, string>> = {
  EAI_NONAME: 'the name does not exist (NXDOMAIN, or no source in nsswitch knows it)',
  EAI_AGAIN: 'no usable answer: the nameserver did not respond, failed (SERVFAIL) or refused',
  EAI_NODATA: 'the name exists but has no address record',
  EAI_FAIL: 'the nameserver failed for good',
};

export function judgeDns(f: Facts): Check {
  const { target, resolution: r, nameservers } = f;
  const servers = nameservers.length ? nameservers.join(', ') : 'none configured';
  switch (r.kind) {
    case 'literal':
      return pass('dns', `${target.host} is an address; nothing to resolve`);
    case 'resolved': {
      const list = r.addresses.map((a) => a.address);
      const more = list.length > 1 ? ` (and ${list.slice(1).join(', ')})` : '';
      return pass('dns', `${target.host} resolves to ${list[0]}${more}`);
    }
    case 'failed':
      return fail('dns', `${target.host}: ${WHY[r.code] ?? r.code} (nameservers: ${servers})`, r.code, '#024');
    case 'timeout':
      return fail('dns', `${target.host}: no answer within ${(r.ms / 1000).toFixed(1)} s (nameservers: ${servers})`, 'EAI_AGAIN', '#024');
  }
}
