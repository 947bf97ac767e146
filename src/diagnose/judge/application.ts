// Rung 6, application: something accepts the connection and, on TLS ports,
// presents a certificate the client can trust.
import type { Check, Facts } from '../facts.js';
import { fail, pass } from './check.js';

/** null when there is nothing to check at this rung (no port given). */
export function judgeApplication(f: Facts): Check | null {
  const { target, dest, connect, tls } = f;
  if (target.port === null) return null;
  const at = `${dest.family === 'ipv6' ? `[${dest.address}]` : dest.address}:${target.port}`;
  if (!connect) return pass('application', `${at} was not tried`);
  if (connect.outcome === 'refused')
    return fail('application', `nothing listens on ${at}: the host answered with a reset`, 'ECONNREFUSED', '#021');
  if (connect.outcome !== 'open') return pass('application', `${at} was not reached`);
  if (!tls) return pass('application', `${at} accepts connections (${connect.ms} ms)`);
  if (tls.ok)
    return pass(
      'application',
      `${at} accepts connections; ${tls.protocol} certificate for ${tls.subject} from ${tls.issuer}, valid until ${tls.validTo}`,
    );
  return fail(
    'application',
    `${at} accepts connections, but ${tls.certificate ? 'its certificate is not trusted' : 'the TLS handshake failed'}: ${tls.code}: ${tls.message}`,
    null,
    tls.certificate ? '#025' : null,
    tls.code,
  );
}
