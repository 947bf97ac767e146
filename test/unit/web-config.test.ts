// The web config file's format (Prometheus exporter-toolkit's), the probes'
// answers, the exposure warning and the descriptor arithmetic: pure parts of serve.
import { describe, expect, it } from 'vitest';
import { basicCredentials } from '../../src/serve/basic-auth.js';
import { connectionRoom, openFilesLimit } from '../../src/serve/descriptors.js';
import { exposureWarning, isLoopback } from '../../src/serve/exposure.js';
import { readiness } from '../../src/serve/health.js';
import { peerAllowed, WebConfigError } from '../../src/serve/web-config.js';
import { parseWebConfig } from '../../src/serve/web-config-yaml.js';

const HASH = '$2y$10$X0h1gDsPszWURQaxFh.zoubFi6DXncSjhoQNJgRrnGs7EsimhC7zG';
const parse = (lines: string[]) => parseWebConfig(lines.join('\n'), '/etc/netladder');

describe('web config file', () => {
  it('reads TLS with files relative to its own directory, and bcrypt users', () => {
    const c = parse([
      'tls_server_config:',
      '  cert_file: tls/server.crt',
      '  key_file: /abs/server.key',
      '  client_auth_type: RequireAndVerifyClientCert',
      '  client_ca_file: ca.pem',
      '  min_version: TLS13',
      'basic_auth_users:',
      `  prometheus: ${HASH}`,
      'http_server_config:',
      '  http2: false',
      '  headers:',
      '    X-Frame-Options: deny',
    ]);
    expect(c.tls).toEqual({
      cert: { file: '/etc/netladder/tls/server.crt' },
      key: { file: '/abs/server.key' },
      clientCa: { file: '/etc/netladder/ca.pem' },
      clientAuth: 'RequireAndVerifyClientCert',
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
    });
    expect([...c.users]).toEqual([['prometheus', HASH]]);
    expect(c.headers).toEqual({ 'X-Frame-Options': 'deny' });
  });

  it('defaults: no TLS, no users; TLS 1.2 to 1.3 without client certificates', () => {
    expect(parse([''])).toEqual({ tls: undefined, users: new Map(), headers: {} });
    expect(parse(['tls_server_config:', '  cert: "PEM"', '  key: "PEM"']).tls).toEqual({
      cert: { text: 'PEM' },
      key: { text: 'PEM' },
      clientCa: undefined,
      clientAuth: 'NoClientCert',
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
    });
  });

  it.each([
    [['tls_server_config: ['], /^not YAML at line 1: /],
    [['tls_server_config:', '  cert_file: a', '  cert_file: b'], /^not YAML at line 3: .*unique/i],
    [['tls_config:', '  cert_file: a'], /^unknown field tls_config$/],
    [['tls_server_config:', '  cert_fil: a'], /^unknown field tls_server_config\.cert_fil$/],
    [['tls_server_config:', '  key_file: k'], /^tls_server_config: missing one of cert or cert_file$/],
    [['tls_server_config:', '  cert_file: c'], /^tls_server_config: missing one of key or key_file$/],
    [['tls_server_config:', '  cert_file: c', '  cert: PEM', '  key_file: k'], /^tls_server_config: give cert or cert_file, not both$/],
    [['tls_server_config:', '  cert_file: c', '  key_file: k', '  client_auth_type: Always'], /^tls_server_config\.client_auth_type takes NoClientCert, .*not "Always"$/],
    [['tls_server_config:', '  cert_file: c', '  key_file: k', '  client_ca_file: ca'], /client CA is given but client_auth_type is NoClientCert$/],
    [['tls_server_config:', '  cert_file: c', '  key_file: k', '  client_auth_type: RequireAndVerifyClientCert'], /needs client_ca_file or client_ca$/],
    [['tls_server_config:', '  cert_file: c', '  key_file: k', '  min_version: TLS1.2'], /^tls_server_config\.min_version takes TLS10, TLS11, TLS12, TLS13, not "TLS1\.2"$/],
    [['tls_server_config:', '  cert_file: c', '  key_file: k', '  min_version: TLS13', '  max_version: TLS12'], /min_version is above max_version$/],
    [['tls_server_config:', '  cert_file: c', '  key_file: k', '  cipher_suites: [TLS_AES_128_GCM_SHA256]'], /^tls_server_config\.cipher_suites is not supported by netladder$/],
    [['rate_limit:', '  interval: 1s', '  burst: 5'], /^rate_limit is not supported by netladder$/],
    [['basic_auth_users:', '  prom: plaintext'], /^basic_auth_users\.prom must be a bcrypt hash/],
    [['basic_auth_users: [prom]'], /^basic_auth_users must be a mapping/],
    [['http_server_config:', '  headers:', '    X-Powered-By: me'], /^http_server_config\.headers: X-Powered-By is not one of/],
  ])('refuses %j in one line', (lines, message) => {
    let err: unknown;
    try {
      parse(lines);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WebConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });

  it('takes the $2a$, $2b$ and $2y$ (htpasswd) bcrypt spellings', () => {
    for (const v of ['2a', '2b', '2y']) {
      expect(parse(['basic_auth_users:', `  u: ${HASH.replace('2y', v)}`]).users.get('u')).toBe(HASH.replace('2y', v));
    }
  });
});

describe('client certificate policy after the handshake', () => {
  it.each([
    ['NoClientCert', false, false, true],
    ['RequestClientCert', true, false, true],
    ['RequireAnyClientCert', false, false, false],
    ['RequireAnyClientCert', true, false, true],
    ['RequireClientCert', false, false, false],
    ['VerifyClientCertIfGiven', false, false, true],
    ['VerifyClientCertIfGiven', true, false, false],
    ['VerifyClientCertIfGiven', true, true, true],
    ['RequireAndVerifyClientCert', false, false, false],
    ['RequireAndVerifyClientCert', true, true, true],
  ] as const)('%s, presented %s, verified %s: %s', (type, presented, verified, allowed) => {
    expect(peerAllowed(type, presented, verified)).toBe(allowed);
  });
});

describe('basic auth header', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  it('splits at the first colon; a password may hold colons', () => {
    expect(basicCredentials(`Basic ${b64('prom:a:b')}`)).toEqual({ user: 'prom', password: 'a:b' });
    expect(basicCredentials(`basic ${b64('prom:')}`)).toEqual({ user: 'prom', password: '' });
  });
  it.each([undefined, '', 'Bearer abc', `Basic ${b64('no-colon')}`, 'Basic !!!'])('%j carries no credentials', (h) => {
    expect(basicCredentials(h)).toBeUndefined();
  });
});

describe('exposure warning', () => {
  const tls = parse(['tls_server_config:', '  cert: C', '  key: K']);
  const tlsAndUsers = parse(['tls_server_config:', '  cert: C', '  key: K', 'basic_auth_users:', `  u: ${HASH}`]);
  const mtls = parse(['tls_server_config:', '  cert: C', '  key: K', '  client_auth_type: RequireAndVerifyClientCert', '  client_ca: CA']);
  it.each(['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1', 'localhost'])('%s is loopback', (a) => expect(isLoopback(a)).toBe(true));
  it.each(['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '::2'])('%s is not', (a) => expect(isLoopback(a)).toBe(false));
  it('says what is missing, in one line, only beyond loopback', () => {
    expect(exposureWarning('127.0.0.1', undefined)).toBeUndefined();
    expect(exposureWarning('0.0.0.0', undefined)).toBe('warning: listening on 0.0.0.0, beyond this host, without TLS or authentication; see --web.config.file');
    expect(exposureWarning('::', tls)).toBe('warning: listening on ::, beyond this host, without authentication; see --web.config.file');
    expect(exposureWarning('0.0.0.0', parse(['basic_auth_users:', `  u: ${HASH}`]))).toMatch(/without TLS;/);
    expect(exposureWarning('0.0.0.0', tlsAndUsers)).toBeUndefined();
    expect(exposureWarning('0.0.0.0', mtls)).toBeUndefined();
  });
});

describe('probes and descriptors', () => {
  it('/readyz is 200 only with programs attached and counters read', () => {
    expect(readiness({ programsAttached: 28, synced: true })).toEqual({ status: 200, body: 'ready\n' });
    expect(readiness({ programsAttached: 28, synced: false })).toEqual({ status: 503, body: 'not ready: counters not read yet\n' });
    expect(readiness({ programsAttached: 0, synced: false })).toEqual({ status: 503, body: 'not ready: no programs attached, counters not read yet\n' });
  });

  it('reads the soft open-files limit and leaves a reserve', () => {
    const limits = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n';
    expect(openFilesLimit(limits)).toBe(1024);
    expect(openFilesLimit(limits.replace('1024 ', 'unlimited'))).toBeUndefined();
    expect(connectionRoom(1024, 110)).toBe(1024 - 110 - 128);
    expect(connectionRoom(200, 110)).toBe(1);
    expect(connectionRoom(undefined, 110)).toBe(Infinity);
  });
});
