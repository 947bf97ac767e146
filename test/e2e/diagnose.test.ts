// diagnose against a lab of network namespaces, one rung broken at a time.
//
//   nlt5-c (client)  c0 10.251.0.1/24 ── s0 10.251.0.2/24  nlt5-s (server:
//                    c1 10.251.1.1/24 ── s1 10.251.1.2/24   listeners on 8080
//   nlt5-d (client)  d0 10.251.2.1/24 ── s2 10.251.2.2/24   and 8443 (TLS),
//                                                           dnsmasq on .0.2)
// nlt5-c resolves through the lab's dnsmasq; nlt5-d through an address of
// the server where no nameserver listens. Nothing leaves the namespaces.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { needsRoot } from '../support/gate.js';
import { until } from '../support/wait.js';

const tag = process.pid.toString(36);
const C = `nlt5-c-${tag}`;
const S = `nlt5-s-${tag}`;
const D = `nlt5-d-${tag}`;
const SPACES = [C, S, D];

function sh(cmd: string, ...args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function inNs(ns: string, ...argv: string[]): string {
  return sh('ip', 'netns', 'exec', ns, ...argv);
}

interface Result {
  code: number;
  out: {
    target: string;
    rungs: { rung: string; ok: boolean; detail: string }[];
    verdict: { rung: string | null; errno: string | null; seed: string | null; next: string[]; reason?: string };
  };
  stderr: string;
}

function diagnose(ns: string, target: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    execFile(
      'ip',
      ['netns', 'exec', ns, process.execPath, CLI, 'diagnose', target, '--json', '--timeout', '2'],
      { timeout: 20_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        try {
          resolve({ code, out: JSON.parse(stdout) as Result['out'], stderr });
        } catch {
          reject(new Error(`diagnose ${target} in ${ns} exited ${code} without JSON: ${stderr}`));
        }
      },
    );
  });
}

// Servers in the server namespace: a plain listener, and TLS with a
// self-signed certificate that no client trusts.
const SERVERS = `
const net = require('node:net'), tls = require('node:tls'), fs = require('node:fs');
const [key, cert] = process.argv.slice(1).map((p) => fs.readFileSync(p));
let up = 0;
const ready = () => { if (++up === 2) console.log('ready'); };
net.createServer((s) => s.destroy()).listen(8080, '0.0.0.0', ready);
tls.createServer({ key, cert }, (s) => s.end()).listen(8443, '0.0.0.0', ready);
`;

needsRoot('diagnose walks the ladder in a namespace lab', () => {
  const children: ChildProcess[] = [];
  let tmp = '';

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build:ts first`);
    tmp = mkdtempSync(join(tmpdir(), 'nlt5-'));
    for (const ns of SPACES) {
      sh('ip', 'netns', 'add', ns);
      sh('ip', '-n', ns, 'link', 'set', 'lo', 'up');
    }
    const pairs: [string, string, string, string, string][] = [
      [C, 'c0', '10.251.0.1/24', 's0', '10.251.0.2/24'],
      [C, 'c1', '10.251.1.1/24', 's1', '10.251.1.2/24'],
      [D, 'd0', '10.251.2.1/24', 's2', '10.251.2.2/24'],
    ];
    for (const [ns, dev, addr, peer, peerAddr] of pairs) {
      sh('ip', 'link', 'add', dev, 'netns', ns, 'type', 'veth', 'peer', 'name', peer, 'netns', S);
      sh('ip', '-n', ns, 'addr', 'add', addr, 'dev', dev);
      sh('ip', '-n', S, 'addr', 'add', peerAddr, 'dev', peer);
      sh('ip', '-n', ns, 'link', 'set', dev, 'up');
      sh('ip', '-n', S, 'link', 'set', peer, 'up');
    }
    // Broken on purpose, one thing each:
    sh('ip', '-n', C, 'route', 'add', 'unreachable', '10.98.0.0/16');
    inNs(S, 'iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '8081', '-j', 'DROP'); // a remote firewall
    inNs(C, 'iptables', '-A', 'OUTPUT', '-d', '10.251.0.2', '-p', 'tcp', '--dport', '8082', '-j', 'DROP'); // a local one
    sh('ip', '-n', C, 'link', 'set', 'c1', 'down');

    // `ip netns exec NS` mounts /etc/netns/NS/resolv.conf over /etc/resolv.conf.
    for (const [ns, server] of [[C, '10.251.0.2'], [D, '10.251.2.2']] as const) {
      mkdirSync(`/etc/netns/${ns}`, { recursive: true });
      writeFileSync(`/etc/netns/${ns}/resolv.conf`, `nameserver ${server}\noptions timeout:1 attempts:1\n`);
    }

    sh('openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=good.test',
      '-keyout', join(tmp, 'key.pem'), '-out', join(tmp, 'cert.pem'));
    const servers = spawn('ip', ['netns', 'exec', S, process.execPath, '-e', SERVERS, join(tmp, 'key.pem'), join(tmp, 'cert.pem')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(servers);
    await new Promise<void>((resolve, reject) => {
      servers.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      servers.once('exit', (code) => reject(new Error(`lab servers exited ${code}`)));
    });

    // NXDOMAIN for everything under .test except good.test; no upstream.
    const dns = spawn(
      'ip',
      ['netns', 'exec', S, 'dnsmasq', '--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts',
        '--bind-interfaces', '--listen-address=10.251.0.2', `--pid-file=${join(tmp, 'dnsmasq.pid')}`,
        '--local=/test/', '--address=/good.test/10.251.0.2', '--user=root'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    children.push(dns);
    await until('lab dnsmasq', () => inNs(S, 'ss', '-Hluna', 'sport = :53').includes('10.251.0.2') || undefined, 5000, 50);
  }, 30_000);

  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    for (const ns of SPACES) {
      try {
        sh('ip', 'netns', 'del', ns);
      } catch {
        // never made, or already gone
      }
      rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
    }
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  // [case, namespace, target, exit status, verdict, what the failing rung says]
  it.each([
    ['healthy: a listener answers', C, '10.251.0.2:8080', 0, { rung: null, errno: null, seed: null }, null],
    ['healthy by name, through the lab resolver', C, 'good.test:8080', 0, { rung: null, errno: null, seed: null }, null],
    ['a closed port is refused', C, '10.251.0.2:8083', 1, { rung: 'application', errno: 'ECONNREFUSED', seed: '#021' }, /nothing listens on 10\.251\.0\.2:8083/],
    ['a DROP rule on the server times out', C, '10.251.0.2:8081', 1, { rung: 'firewall', errno: 'ETIMEDOUT', seed: '#023' }, /no answer from 10\.251\.0\.2:8081/],
    ['a local DROP rule is named', C, '10.251.0.2:8082', 1, { rung: 'firewall', errno: 'ETIMEDOUT', seed: '#023' }, /a local rule drops traffic to 10\.251\.0\.2: ip filter OUTPUT handle \d+: ip daddr 10\.251\.0\.2 tcp dport 8082 drop/],
    ['no route', C, '10.99.0.1:80', 1, { rung: 'route', errno: 'ENETUNREACH', seed: '#026' }, /Network is unreachable/],
    ['an unreachable route', C, '10.98.0.1:80', 1, { rung: 'route', errno: 'EHOSTUNREACH', seed: '#022' }, /No route to host/],
    ['the interface toward the target is down', C, '10.251.1.2:80', 1, { rung: 'link', errno: 'ENETUNREACH', seed: '#026' }, /c1 is down, and 10\.251\.1\.2 is on its network 10\.251\.1\.1\/24/],
    ['nobody answers ARP for the address', C, '10.251.0.9:80', 1, { rung: 'link', errno: 'EHOSTUNREACH', seed: '#029' }, /next hop 10\.251\.0\.9 on c0 does not answer ARP/],
    ['a name that does not exist (NXDOMAIN)', C, 'bad.test:8080', 1, { rung: 'dns', errno: 'EAI_NONAME', seed: '#024' }, /bad\.test: the name does not exist/],
    ['a nameserver that does not answer', D, 'good.test:8080', 1, { rung: 'dns', errno: 'EAI_AGAIN', seed: '#024' }, /no usable answer.*nameservers: 10\.251\.2\.2/],
    ['a certificate nobody trusts', C, '10.251.0.2:8443', 1, { rung: 'application', errno: null, seed: '#025', reason: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, /certificate is not trusted/],
  ] as const)('%s', async (_, ns, target, code, verdict, detail) => {
    const r = await diagnose(ns, target);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(code);
    expect(r.out.target).toBe(target);
    expect(r.out.verdict).toMatchObject(verdict);
    const rungs = r.out.rungs.map((x) => x.rung);
    const ladder = ['link', 'address', 'route', 'firewall', 'dns', 'application'];
    // in ladder order, each rung passing until the failing one, which ends the list
    expect(rungs).toEqual(ladder.slice(0, rungs.length));
    expect(r.out.rungs.slice(0, -1).every((x) => x.ok)).toBe(true);
    const last = r.out.rungs.at(-1);
    if (verdict.rung === null) {
      expect(rungs).toEqual(ladder);
      expect(last?.ok).toBe(true);
      expect(r.out.verdict.next).toEqual([]);
    } else {
      expect(last).toMatchObject({ rung: verdict.rung, ok: false });
      expect(last?.detail).toMatch(detail ?? /./);
      expect(r.out.verdict.next.length).toBeGreaterThan(0);
    }
  }, 15_000);

  it('bad input exits 2 with one line', async () => {
    const r = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile('ip', ['netns', 'exec', C, process.execPath, CLI, 'diagnose', 'no such host:99999'], (err, _out, stderr) =>
        resolve({ code: typeof err?.code === 'number' ? err.code : 0, stderr }),
      ),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
