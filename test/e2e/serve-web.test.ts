// `netladder serve` secured and limited, as an operator meets it: a web
// config file in exporter-toolkit's format read by real curl and a real
// Prometheus over TLS with basic auth, mutual TLS, reloads, the warning for
// an unprotected listen beyond loopback, /healthz and /readyz, and scrapes
// still answered when idle clients hold nearly every descriptor.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, Running } from '../support/cli.js';
import { needsBpf } from '../support/gate.js';
import { closedPort } from '../support/ports.js';
import { Prometheus } from '../support/prometheus.js';
import { Refuser } from '../support/refuser.js';
import { sleep, until } from '../support/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'netladder-web-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

/** A CA, a server certificate for 127.0.0.1 signed by it, and a client one. */
function makeCertificates(): void {
  if (existsSync(join(dir, 'client.pem'))) return;
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=netladder test CA']);
  for (const [name, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    openssl(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
    writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`]);
  }
}

function writeConfig(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** curl's status code (000 when there was no HTTP answer) and exit code. */
function curl(url: string, args: string[] = []): { status: string; exit: number | null; body: string } {
  const r = spawnSync('curl', ['-sS', '--max-time', '10', '-o', '-', '-w', '\n%{http_code}', ...args, url], { cwd: dir, encoding: 'utf8' });
  const nl = r.stdout.lastIndexOf('\n');
  return { status: r.stdout.slice(nl + 1), exit: r.status, body: r.stdout.slice(0, nl) };
}

/** One scrape on a fresh connection, as a new Prometheus scrape after its
 *  keep-alive lapsed: the status, or the error's code. */
function scrape(port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/metrics', agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

const PASSWORD = 'correct horse';
const TLS_LINES = ['tls_server_config:', '  cert_file: server.pem', '  key_file: server.key'];
const usersLines = (password: string) => ['basic_auth_users:', `  prometheus: ${bcrypt.hashSync(password, 10)}`];

describe('netladder serve --web.config.file, without the kernel', () => {
  it.each([
    ['a missing file', () => join(dir, 'absent.yml'), /^netladder: --web\.config\.file \S+absent\.yml: cannot read it: ENOENT\n$/],
    ['a file that is not YAML', () => writeConfig('bad.yml', ['tls_server_config: [']), /^netladder: --web\.config\.file \S+bad\.yml: not YAML at line \d+: .*\n$/],
    ['an unknown field', () => writeConfig('typo.yml', ['tls_server_config:', '  cert_fil: server.pem']), /^netladder: --web\.config\.file \S+typo\.yml: unknown field tls_server_config\.cert_fil\n$/],
    ['a plain password', () => writeConfig('plain.yml', ['basic_auth_users:', '  prometheus: secret']), /^netladder: --web\.config\.file \S+plain\.yml: basic_auth_users\.prometheus must be a bcrypt hash .*\n$/],
    ['a certificate that is not there', () => writeConfig('nocert.yml', ['tls_server_config:', '  cert_file: none.pem', '  key_file: none.key']), /^netladder: --web\.config\.file \S+nocert\.yml: cannot read cert_file \S+\/none\.pem: ENOENT\n$/],
  ])('%s is bad input: exit 2, one line', async (_, file, message) => {
    const r = await run(['serve', '--listen', '127.0.0.1:0', '--web.config.file', file()]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('--max-connections 0 is bad input', async () => {
    const r = await run(['serve', '--max-connections', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('netladder: --max-connections takes a whole number from 1 to 1048576, not "0"\n');
  });
});

needsBpf('netladder serve over TLS with basic auth', () => {
  let serve: Running;
  let base: string;
  let config: string;
  const prom = new Prometheus();

  beforeAll(async () => {
    makeCertificates();
    // Relative paths: resolved against the file's directory, not the cwd.
    config = writeConfig('web.yml', [...TLS_LINES, ...usersLines(PASSWORD)]);
    serve = new Running(['serve', '--listen', '127.0.0.1:0', '--web.config.file', config]);
    const m = await serve.said(/metrics on (https:\/\/127\.0\.0\.1:(\d+))\/metrics/);
    base = m[1]!;
  });

  afterAll(async () => {
    await prom.stop();
    if (serve) await serve.stop();
  });

  it('answers curl --cacert with the password, and 401 without it or with a wrong one', () => {
    const ok = curl(`${base}/metrics`, ['--cacert', 'ca.pem', '-u', `prometheus:${PASSWORD}`]);
    expect(ok.status).toBe('200');
    expect(ok.body).toContain('# TYPE netladder_events_total counter');
    expect(curl(`${base}/metrics`, ['--cacert', 'ca.pem']).status).toBe('401');
    expect(curl(`${base}/metrics`, ['--cacert', 'ca.pem', '-u', 'prometheus:wrong']).status).toBe('401');
    expect(curl(`${base}/metrics`, ['--cacert', 'ca.pem', '-u', `nobody:${PASSWORD}`]).status).toBe('401');
    expect(curl(`${base}/`, ['--cacert', 'ca.pem']).status).toBe('401');
    // Plain HTTP on the TLS port gets no metrics.
    expect(curl(`${base.replace('https', 'http')}/metrics`, ['-u', `prometheus:${PASSWORD}`]).status).not.toBe('200');
    // Nor does a client that does not trust the certificate.
    expect(curl(`${base}/metrics`, ['-u', `prometheus:${PASSWORD}`]).exit).toBe(60);
  });

  it('answers /healthz and /readyz without credentials, and lists them on the landing page', () => {
    expect(curl(`${base}/healthz`, ['--cacert', 'ca.pem'])).toMatchObject({ status: '200', body: 'ok\n' });
    expect(curl(`${base}/readyz`, ['--cacert', 'ca.pem'])).toMatchObject({ status: '200', body: 'ready\n' });
    const landing = curl(`${base}/`, ['--cacert', 'ca.pem', '-u', `prometheus:${PASSWORD}`]);
    expect(landing.body).toContain('href="healthz"');
    expect(landing.body).toContain('href="readyz"');
  });

  it("is scraped by Prometheus over TLS with basic auth, with a process's exact count of refused connects", async () => {
    await prom.start(base.replace('https://', ''), { caFile: join(dir, 'ca.pem'), username: 'prometheus', password: PASSWORD });
    await until('Prometheus to scrape netladder', async () => ((await prom.targetHealth())?.startsWith('up') ? true : undefined));
    const refuser = new Refuser(await closedPort(), 'nla-tls');
    try {
      await refuser.ready();
      const N = 17;
      expect(await refuser.fail(N)).toEqual(Array(N).fill('ECONNREFUSED'));
      const sel = `netladder_events_total{pid="${refuser.pid}"}`;
      const rows = await until('Prometheus to see the refused connects', async () => {
        const r = await prom.vector(sel);
        return r.length && r[0]!.value[1] === String(N) ? r : undefined;
      });
      expect(rows.map((r) => [r.metric.event, r.metric.errno, r.metric.comm, r.value[1]])).toEqual([['connect_error', 'ECONNREFUSED', 'nla-tls', String(N)]]);
    } finally {
      refuser.kill();
    }
  });

  it('re-reads a changed file: a bad one is reported once and the last good one kept; a good one holds at once', async () => {
    writeConfig('web.yml', ['tls_server_config: [']);
    expect(curl(`${base}/metrics`, ['--cacert', 'ca.pem', '-u', `prometheus:${PASSWORD}`]).status).toBe('200');
    expect(curl(`${base}/metrics`, ['--cacert', 'ca.pem', '-u', `prometheus:${PASSWORD}`]).status).toBe('200');
    // curl ran synchronously: let serve's stderr arrive before counting.
    await serve.said(/keeping the last good configuration\n/);
    await sleep(200);
    const reported = serve.stderr.split('\n').filter((l) => l.includes('keeping the last good configuration'));
    expect(reported).toHaveLength(1);
    expect(reported[0]!.startsWith(`netladder: --web.config.file ${config}: not YAML at line `)).toBe(true);
    expect(reported[0]).toMatch(/; keeping the last good configuration$/);

    writeConfig('web.yml', [...TLS_LINES, ...usersLines('new password')]);
    expect(curl(`${base}/metrics`, ['--cacert', 'ca.pem', '-u', `prometheus:${PASSWORD}`]).status).toBe('401');
    expect(curl(`${base}/metrics`, ['--cacert', 'ca.pem', '-u', 'prometheus:new password']).status).toBe('200');
    writeConfig('web.yml', [...TLS_LINES, ...usersLines(PASSWORD)]);
  });
});

needsBpf('netladder serve with mutual TLS, beyond loopback', () => {
  let serve: Running;
  let base: string;

  beforeAll(async () => {
    makeCertificates();
    const config = writeConfig('mtls.yml', [...TLS_LINES, '  client_auth_type: RequireAndVerifyClientCert', '  client_ca_file: ca.pem']);
    serve = new Running(['serve', '--listen', '0.0.0.0:0', '--web.config.file', config]);
    const m = await serve.said(/metrics on https:\/\/0\.0\.0\.0:(\d+)\/metrics/);
    base = `https://127.0.0.1:${m[1]}`;
  });

  afterAll(async () => {
    if (serve) await serve.stop();
  });

  it('refuses a client without a certificate and answers one with a certificate from the client CA', () => {
    const without = curl(`${base}/metrics`, ['--cacert', 'ca.pem']);
    expect(without.status).toBe('000');
    expect(without.exit).not.toBe(0);
    expect(curl(`${base}/metrics`, ['--cacert', 'ca.pem', '--cert', 'client.pem', '--key', 'client.key']).status).toBe('200');
  });

  it('does not warn: the listen is beyond loopback but protected', () => {
    expect(serve.stderr).not.toContain('warning');
  });
});

needsBpf('netladder serve under a descriptor shortage', () => {
  let serve: Running;
  let port: number;
  const idle: Socket[] = [];

  beforeAll(async () => {
    // No cap of its own: the room left by the descriptor limit is the cap.
    serve = new Running(['serve', '--listen', '0.0.0.0:0', '--max-connections', '100000'], ['prlimit', '--nofile=1024:1024', '--']);
    const m = await serve.said(/metrics on http:\/\/0\.0\.0\.0:(\d+)\/metrics/);
    port = Number(m[1]);
  });

  afterAll(async () => {
    for (const s of idle) s.destroy();
    if (serve) await serve.stop();
  });

  it('warns in one line when listening beyond loopback without TLS or authentication', () => {
    expect(serve.stderr.split('\n').filter((l) => l.includes('warning'))).toEqual([
      'netladder: warning: listening on 0.0.0.0, beyond this host, without TLS or authentication; see --web.config.file',
    ]);
  });

  it('answers every scrape while idle clients hold more connections than it has descriptors', async () => {
    const open = readdirSync(`/proc/${serve.proc.pid}/fd`).length;
    // Enough to take every descriptor left, and then some: without a cap
    // and eviction, accept() fails and so does every scrape.
    const n = 1024 - open + 20;
    for (let i = 0; i < n; i++) {
      const s = connect(port, '127.0.0.1');
      s.on('error', () => {});
      idle.push(s);
      await new Promise((r) => {
        s.once('connect', r);
        s.once('close', r);
      });
    }
    await sleep(200);
    expect(readdirSync(`/proc/${serve.proc.pid}/fd`).length).toBeLessThan(1024 - 64);
    const answers: (number | string)[] = [];
    for (let i = 0; i < 20; i++) answers.push(await scrape(port));
    expect(answers).toEqual(Array(20).fill(200));
    // The quiet clients were the ones let go, and the agent still runs.
    expect(idle.filter((s) => s.destroyed).length).toBeGreaterThan(20);
    expect(serve.proc.exitCode).toBeNull();
  });
});
