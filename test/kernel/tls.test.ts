// tls_error: a client rejecting a server's certificate, reported from
// OpenSSL's verify result in the client's own process: curl, Python and
// `openssl s_client` through the system's libssl.so.3, Node through the
// copy linked into its binary. Certificates are made here, at test time;
// servers and clients run in a namespace of the test's own.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadAddon } from '../../src/kernel/addon.js';
import { findLibraries } from '../../src/kernel/libraries.js';
import { Child, FIXTURES, PYTHON } from '../support/child.js';
import { CLI } from '../support/cli.js';
import { needsBpf } from '../support/gate.js';
import { Netns } from '../support/netns.js';
import { startOracle } from '../support/oracle.js';
import { Recorder } from '../support/recorder.js';
import { runTool } from '../support/tool.js';

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA the clients trust, and servers' certificates that fail in one way each. */
function makeCertificates(dir: string): void {
  const key = (name: string) => ['-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`];
  const leaf = (name: string, cn: string, ca: string, days: string) => {
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=DNS:${cn}\n`);
    openssl(dir, 'req', ...key(name), '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial',
      '-out', `${name}.pem`, '-days', days, '-extfile', `${name}.ext`);
  };
  openssl(dir, 'req', '-x509', ...key('ca'), '-out', 'ca.pem', '-days', '2', '-subj', '/CN=nlt4 test CA');
  openssl(dir, 'req', '-x509', ...key('otherca'), '-out', 'otherca.pem', '-days', '2', '-subj', '/CN=nlt4 other CA');
  leaf('good', 'good.nlt4.test', 'ca', '2');
  // -days -1: valid from now until yesterday, so expired from the start.
  leaf('expired', 'expired.nlt4.test', 'ca', '-1');
  leaf('wrong', 'other.nlt4.test', 'ca', '2');
  leaf('unknown', 'unknown.nlt4.test', 'otherca', '2');
  openssl(dir, 'req', '-x509', ...key('self'), '-out', 'self.pem', '-days', '2', '-subj', '/CN=self.nlt4.test',
    '-addext', 'subjectAltName=DNS:self.nlt4.test');
}

const CERTS = ['good', 'expired', 'self', 'wrong', 'unknown'] as const;
type Cert = (typeof CERTS)[number];
/** The name each client asks for: the wrong certificate names other.nlt4.test. */
const HOST: Record<Cert, string> = {
  good: 'good.nlt4.test',
  expired: 'expired.nlt4.test',
  self: 'self.nlt4.test',
  wrong: 'wrong.nlt4.test',
  unknown: 'unknown.nlt4.test',
};

needsBpf('TLS certificate failures', () => {
  let rec: Recorder;
  let ns: Netns;
  let dir: string;
  let server: Child;
  const port: Partial<Record<Cert, number>> = {};
  const target = (c: Cert): string => `${HOST[c]}:${port[c]}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nlt4-tls-'));
    makeCertificates(dir);
    rec = new Recorder();
    ns = Netns.create('tls', 'nlt4');
    server = new Child([PYTHON, `${FIXTURES}tls-server.py`, dir, ...CERTS], { netns: ns.name });
    for (const kv of (await server.started()).split(',')) {
      const [name, p] = kv.split('=');
      port[name as Cert] = Number(p);
    }
  });
  afterAll(async () => {
    server?.kill();
    await rec?.close();
    ns?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // [certificate, errno, reason] for clients that leave the verdict to OpenSSL.
  const verdicts = [
    ['expired', 'X509_V_ERR_CERT_HAS_EXPIRED', 'expired'],
    ['self', 'X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed'],
    ['unknown', 'X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unknown CA'],
    ['wrong', 'X509_V_ERR_HOSTNAME_MISMATCH', 'hostname mismatch'],
  ] as const;

  it.each(verdicts)('openssl s_client, %s certificate: %s once per connection, though it asks OpenSSL twice', async (cert, errno, reason) => {
    const oracleReady = startOracle(
      `uretprobe:${findLibraries()['libssl.so.3']}:SSL_get_verify_result /comm == "openssl"/ { @calls[pid, retval] = count(); }`,
    );
    const oracle = await oracleReady;
    const run = await runTool(
      ['openssl', 's_client', '-connect', `127.0.0.1:${port[cert]}`, '-servername', HOST[cert], '-CAfile', join(dir, 'ca.pem'),
        '-verify_return_error', '-verify_hostname', HOST[cert]],
      { netns: ns.name },
    );
    expect(run.code).toBe(1);
    const seen = await rec.settle((e) => e.pid === run.pid && e.event === 'tls_error', 1);
    const raw = await oracle.stop();

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ event: 'tls_error', errno, reason, host: HOST[cert], comm: 'openssl', tid: run.pid, seed: '#025', rung: 'application' });
    expect(rec.count(run.pid, 'tls_error', errno)).toBe(1);
    const code = { expired: 10, self: 18, unknown: 20, wrong: 62 }[cert];
    expect(raw[`@calls[${run.pid}, ${code}]`]).toBe(2);
  });

  it('curl: expired, self-signed and unknown CA as OpenSSL decided; its own hostname check is not OpenSSL’s and is not seen; a good certificate is quiet', async () => {
    const runs = new Map<Cert, Awaited<ReturnType<typeof runTool>>>();
    for (const cert of CERTS) {
      runs.set(cert, await runTool(
        ['curl', '-sS', '-o', '/dev/null', '--cacert', join(dir, 'ca.pem'), '--resolve', `${HOST[cert]}:${port[cert]}:127.0.0.1`,
          `https://${HOST[cert]}:${port[cert]}/`],
        { netns: ns.name },
      ));
    }
    await rec.settle((e) => e.event === 'tls_error' && [...runs.values()].some((r) => r.pid === e.pid), 3);
    for (const [cert, errno, reason] of verdicts) {
      const r = runs.get(cert)!;
      expect(r.code, r.stderr).toBe(60); // CURLE_PEER_FAILED_VERIFICATION
      if (cert === 'wrong') {
        expect(r.stderr).toMatch(/no alternative certificate subject name matches/);
        expect(rec.of(r.pid, 'tls_error')).toHaveLength(0);
        continue;
      }
      expect(rec.of(r.pid, 'tls_error')).toHaveLength(1);
      expect(rec.of(r.pid, 'tls_error')[0]).toMatchObject({ event: 'tls_error', errno, reason, host: HOST[cert], comm: 'curl', pid: r.pid });
      expect(rec.count(r.pid, 'tls_error', errno)).toBe(1);
    }
    // The good server answers the handshake and then closes: curl's error,
    // if any, is not a certificate one.
    expect(rec.of(runs.get('good')!.pid, 'tls_error')).toHaveLength(0);
  });

  it('Python ssl: one event per rejected connection (three to the expired server are three), none for the good one', async () => {
    const targets = ['expired', 'expired', 'expired', 'self', 'unknown', 'wrong', 'good'].map((c) => target(c as Cert));
    const child = new Child([PYTHON, `${FIXTURES}tls-client.py`, join(dir, 'ca.pem'), ...targets], { netns: ns.name });
    await child.started();
    expect(await child.run()).toBe('10,10,10,18,20,62,OK');
    const seen = await rec.settle((e) => e.pid === child.pid && e.event === 'tls_error', 6);

    expect(seen.map((e) => [e.errno, e.event === 'tls_error' ? e.host : null])).toEqual([
      ['X509_V_ERR_CERT_HAS_EXPIRED', HOST.expired],
      ['X509_V_ERR_CERT_HAS_EXPIRED', HOST.expired],
      ['X509_V_ERR_CERT_HAS_EXPIRED', HOST.expired],
      ['X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT', HOST.self],
      ['X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY', HOST.unknown],
      ['X509_V_ERR_HOSTNAME_MISMATCH', HOST.wrong],
    ]);
    for (const e of seen) expect(e).toMatchObject({ event: 'tls_error', comm: 'nlt4-tls', pid: child.pid, tid: child.pid });
    expect(rec.count(child.pid, 'tls_error', 'X509_V_ERR_CERT_HAS_EXPIRED')).toBe(3);
    expect(rec.count(child.pid, 'tls_error', 'X509_V_ERR_HOSTNAME_MISMATCH')).toBe(1);
  });

  it("Node's bundled OpenSSL: the same verdicts from the node binary's own copy; Node checks host names in JavaScript, which is not seen", async () => {
    const certs: Cert[] = ['expired', 'self', 'unknown', 'wrong', 'good'];
    const child = new Child([process.execPath, `${FIXTURES}tls-connect.mjs`, join(dir, 'ca.pem'), ...certs.map(target)], { netns: ns.name });
    await child.started();
    expect(await child.run()).toBe('CERT_HAS_EXPIRED,DEPTH_ZERO_SELF_SIGNED_CERT,UNABLE_TO_VERIFY_LEAF_SIGNATURE,ERR_TLS_CERT_ALTNAME_INVALID,OK');
    const seen = await rec.settle((e) => e.pid === child.pid && e.event === 'tls_error', 3);

    expect(seen.map((e) => [e.errno, e.event === 'tls_error' ? e.reason : null, e.event === 'tls_error' ? e.host : null])).toEqual([
      ['X509_V_ERR_CERT_HAS_EXPIRED', 'expired', HOST.expired],
      ['X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed', HOST.self],
      ['X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unknown CA', HOST.unknown],
    ]);
    for (const e of seen) expect(e).toMatchObject({ event: 'tls_error', comm: 'node', pid: child.pid, seed: '#025' });
  });

  it('a missing library or symbol skips only its uprobes, and says which and why', async () => {
    const libs = findLibraries();
    const m = new (loadAddon().Monitor)({
      ringBytes: 1 << 16,
      // libc stands in for libssl: it has no SSL_ctrl. No node binary.
      libraries: { 'libc.so.6': libs['libc.so.6']!, 'libssl.so.3': libs['libc.so.6']! },
    });
    const rows = m.start(() => {});
    await m.close();
    const row = (name: string, file: string) => rows.find((r) => r.name === name && r.hook.includes(file));
    expect(row('nl_gai_enter', 'libc.so.6')).toMatchObject({ attached: true, optional: true, hook: `uprobe:${libs['libc.so.6']}:getaddrinfo` });
    expect(row('nl_gai_exit', 'libc.so.6')).toMatchObject({ attached: true, hook: `uretprobe:${libs['libc.so.6']}:getaddrinfo` });
    expect(row('nl_ssl_ctrl', 'libc.so.6')).toMatchObject({ attached: false, optional: true, error: `skipped: no symbol SSL_ctrl in ${libs['libc.so.6']}` });
    expect(row('nl_ssl_verify_exit', 'node')).toMatchObject({ attached: false, optional: true, error: 'skipped: node not found' });
    // Every other program attached.
    expect(rows.filter((r) => !r.optional).every((r) => r.attached)).toBe(true);
  });

  it('doctor lists each uprobe with its file and function, and passes with them', () => {
    const report = JSON.parse(execFileSync(process.execPath, [CLI, 'doctor', '--json'], { encoding: 'utf8' })) as {
      ok: boolean;
      programs: { name: string; hook: string; attached: boolean }[];
    };
    const node = realpathSync(process.execPath);
    const libssl = findLibraries()['libssl.so.3']!;
    for (const [name, hook] of [
      ['nl_gai_exit', `uretprobe:${findLibraries()['libc.so.6']}:getaddrinfo`],
      ['nl_ssl_verify_exit', `uretprobe:${libssl}:SSL_get_verify_result`],
      ['nl_ssl_verify_exit', `uretprobe:${node}:SSL_get_verify_result`],
      ['nl_dns_recv', 'tp_btf/sock_recv_length'],
    ]) {
      expect(report.programs.find((p) => p.name === name && p.hook === hook), `${name} ${hook}`).toMatchObject({ attached: true });
    }
    expect(report.ok).toBe(true);
  });

  it('lost nothing', () => {
    expect(rec.losses()).toEqual({ ringbufFull: 0, rateLimited: 0, counterFull: 0, dnsPendingFull: 0 });
  });
});
