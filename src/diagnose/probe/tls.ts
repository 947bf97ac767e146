// The TLS handshake and the certificate, checked the way a client would,
// but without failing the handshake, so the reason can be reported.
import { checkServerIdentity, connect, type PeerCertificate } from 'node:tls';
import type { Dest, TlsFact } from '../facts.js';

function name(dn: PeerCertificate['subject'] | undefined): string {
  if (!dn) return '(none)';
  const n = dn.CN ?? dn.O;
  return (Array.isArray(n) ? n[0] : n) ?? '(no name)';
}

export function probeTls(dest: Dest, port: number, host: string, isName: boolean, timeoutMs: number): Promise<TlsFact> {
  return new Promise((resolve) => {
    const s = connect({
      host: dest.address,
      port,
      ...(isName ? { servername: host } : {}),
      // Verification is done below, so a bad certificate is reported, not thrown.
      rejectUnauthorized: false,
    });
    const done = (t: TlsFact): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(t);
    };
    const timer = setTimeout(
      () => done({ ok: false, code: 'ETIMEDOUT', message: `no TLS handshake within ${timeoutMs} ms`, certificate: false }),
      timeoutMs,
    );
    s.once('secureConnect', () => {
      const cert = s.getPeerCertificate();
      if (!s.authorized) {
        const code = String(s.authorizationError);
        return done({ ok: false, code, message: `certificate for ${name(cert.subject)} from ${name(cert.issuer)} not verified`, certificate: true });
      }
      const mismatch = checkServerIdentity(host, cert);
      if (mismatch)
        return done({ ok: false, code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: mismatch.message, certificate: true });
      done({ ok: true, protocol: s.getProtocol() ?? 'TLS', subject: name(cert.subject), issuer: name(cert.issuer), validTo: cert.valid_to });
    });
    s.once('error', (err: NodeJS.ErrnoException) =>
      done({ ok: false, code: err.code ?? 'EPROTO', message: err.message.split('\n')[0] ?? '', certificate: false }),
    );
  });
}
