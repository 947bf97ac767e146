// `netladder watch` as a user runs it: the JSON contract on stdout, a clean
// stop on Ctrl-C, and nothing left attached afterwards.
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { py } from '../support/child.js';
import { expectedRefused } from '../support/events.js';
import { needsBpf } from '../support/gate.js';
import { closedPort } from '../support/ports.js';
import { sleep } from '../support/wait.js';
import { CLI, Running } from '../support/cli.js';

/** Ids of netladder's programs loaded now, by anyone (another agent on the
 *  host has its own: tests look at the ids that appear and go). */
function ourPrograms(): Set<number> {
  const progs = JSON.parse(execFileSync('bpftool', ['prog', 'list', '-j'], { encoding: 'utf8' })) as { id: number; name?: string }[];
  return new Set(progs.filter((p) => p.name?.startsWith('nl_')).map((p) => p.id));
}

/** How many of these programs are still loaded, after waiting for them to
 *  go: programs are freed a moment after their links close (RCU). */
async function stillLoaded(ids: Set<number>, timeoutMs = 5000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const left = () => [...ourPrograms()].filter((id) => ids.has(id)).length;
  let n = left();
  while (n > 0 && Date.now() < deadline) {
    await sleep(100);
    n = left();
  }
  return n;
}

const FIELDS = ['time', 'event', 'errno', 'pid', 'tid', 'comm', 'cgroup', 'family', 'saddr', 'sport', 'daddr', 'dport', 'seed', 'rung'];

needsBpf('netladder watch', () => {
  it('streams JSON lines that follow the contract, filters by pid, and detaches on Ctrl-C', async () => {
    const before = ourPrograms();
    const port = await closedPort();
    const child = py(['connect', '127.0.0.1', port, 3]);
    await child.started();
    const watch = new Running(['watch', '--json', '--pid', String(child.pid)]);
    await watch.said(/watching/);
    const mine = new Set([...ourPrograms()].filter((id) => !before.has(id)));
    expect(mine.size).toBeGreaterThan(0);
    await child.run();
    const deadline = Date.now() + 5000;
    while (watch.stdout.split('\n').filter(Boolean).length < 3 && Date.now() < deadline) await sleep(50);
    await sleep(300);

    expect(await watch.stop('SIGINT')).toBe(0);

    const lines = watch.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    for (const e of lines) {
      expect(Object.keys(e).slice(0, FIELDS.length)).toEqual(FIELDS);
      expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Math.abs(Date.parse(e.time as string) - Date.now())).toBeLessThan(30_000);
      expect(e).toMatchObject(expectedRefused(child.pid, port, 'nlt-connect'));
      expect(e.cgroup === null || (typeof e.cgroup === 'string' && e.cgroup.startsWith('/'))).toBe(true);
    }
    // The exit summary reports kernel totals on stderr, data stays on stdout.
    expect(watch.stderr).toMatch(/netladder: \d+ events .*connect_error/);
    expect(await stillLoaded(mine)).toBe(0);
  });

  it('says in one line that it needs root, and exits 3, when run without the rights', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [CLI, 'watch'], { encoding: 'utf8', stdio: 'pipe', uid: 65534, gid: 65534 });
    } catch (e) {
      ({ status, stderr } = e as { status: number; stderr: string });
    }
    expect(status).toBe(3);
    expect(stderr).toBe('netladder: loading BPF programs needs root, or CAP_BPF and CAP_PERFMON; run as root\n');
  });

  it('rejects bad input with one line and exit status 2', () => {
    const before = ourPrograms();
    for (const args of [['--event', 'nope'], ['--errno', 'EWHAT'], ['--pid', 'abc'], ['--bogus'], ['--rate-limit', '-1']]) {
      let status = 0;
      let stderr = '';
      try {
        execFileSync(process.execPath, [CLI, 'watch', ...args], { encoding: 'utf8', stdio: 'pipe' });
      } catch (e) {
        const x = e as { status: number; stderr: string };
        status = x.status;
        stderr = x.stderr;
      }
      expect(status, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n')[0]).toMatch(/^(netladder: |error: )/);
    }
    expect([...ourPrograms()].filter((id) => !before.has(id))).toEqual([]);
  });
});
