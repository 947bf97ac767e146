// `netladder watch` at its edges, as an unlucky operator meets them: stderr
// to a reader that has gone, stdout to a reader that stopped reading, and
// processes whose names hold escape sequences or UTF-8.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CLI, Running } from '../support/cli.js';
import { needsBpf } from '../support/gate.js';
import { closedPort } from '../support/ports.js';
import { Refuser } from '../support/refuser.js';
import { sleep, until } from '../support/wait.js';

interface Prog {
  id: number;
  name?: string;
  pids?: { pid: number }[];
}

function nlPrograms(): Prog[] {
  return (JSON.parse(execFileSync('bpftool', ['prog', 'list', '-j'], { encoding: 'utf8' })) as Prog[]).filter((p) => p.name?.startsWith('nl_'));
}

/** netladder programs that this pid holds, or that appeared since `before`. */
function heldBy(pid: number, before: Set<number>): number[] {
  return nlPrograms()
    .filter((p) => p.pids?.some((x) => x.pid === pid) || !before.has(p.id))
    .map((p) => p.id);
}

function exited(p: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> {
  return p.exitCode !== null || p.signalCode !== null
    ? Promise.resolve([p.exitCode, p.signalCode])
    : (once(p, 'exit') as Promise<[number | null, NodeJS.Signals | null]>);
}

needsBpf('netladder watch at its edges', () => {
  it('keeps watching with stderr closed under a storm with --rate-limit 1, and exits 0 on SIGTERM', async () => {
    const refuser = new Refuser(await closedPort(), 'nle-stderr');
    const watch = spawn(process.execPath, [CLI, 'watch', '--json', '--rate-limit', '1', '--pid', String(refuser.pid)], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stdout = '';
      let stderr = '';
      watch.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      watch.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      await refuser.ready();
      await until('watch to attach', () => (/watching/.test(stderr) ? true : watch.exitCode !== null ? Promise.reject(new Error(stderr)) : undefined), 20_000, 50);
      // The reader of stderr goes away: every later message meets EPIPE.
      watch.stderr.destroy();
      expect(await refuser.fail(200)).toHaveLength(200);
      await until('the first detail record', () => (stdout.split('\n').filter(Boolean).length >= 1 ? true : undefined));
      // The loss report (every 5 s) has met the closed stderr by now.
      await sleep(6000);
      expect(watch.exitCode).toBeNull();
      const before = stdout.split('\n').filter(Boolean).length;
      expect(await refuser.fail(1)).toEqual(['ECONNREFUSED']);
      await until('a record after the loss report', () => (stdout.split('\n').filter(Boolean).length > before ? true : undefined));
      for (const l of stdout.split('\n').filter(Boolean)) expect(JSON.parse(l)).toMatchObject({ pid: refuser.pid, errno: 'ECONNREFUSED' });
      watch.kill('SIGTERM');
      expect(await exited(watch)).toEqual([0, null]);
    } finally {
      watch.kill('SIGKILL');
      await refuser.end();
    }
  });

  it('with stdout to a pipe nobody reads, a SIGINT ends it within 2 s, exit 0, counting what was never read', async () => {
    const before = new Set(nlPrograms().map((p) => p.id));
    const dir = mkdtempSync(join(tmpdir(), 'netladder-unread-'));
    const fifo = join(dir, 'out');
    execFileSync('mkfifo', [fifo]);
    // Read and write ends in one descriptor that nobody reads from: the
    // pipe fills at 64 KiB and stays full.
    const fd = openSync(fifo, 'r+');
    const refuser = new Refuser(await closedPort(), 'nle-unread');
    const watch = spawn(process.execPath, [CLI, 'watch', '--json', '--pid', String(refuser.pid)], { stdio: ['ignore', fd, 'pipe'] });
    let stderr = '';
    watch.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await refuser.ready();
      await until('watch to attach', () => (/watching/.test(stderr) ? true : watch.exitCode !== null ? Promise.reject(new Error(stderr)) : undefined), 20_000, 50);
      expect(heldBy(watch.pid!, before).length).toBeGreaterThan(0);
      // About 3 MB of JSON lines, far past what the pipe holds.
      for (let i = 0; i < 5; i++) expect(await refuser.fail(2000)).toHaveLength(2000);
      await sleep(500);
      const t0 = Date.now();
      watch.kill('SIGINT');
      const [code, signal] = await Promise.race([exited(watch), sleep(5000).then(() => [null, null] as const)]);
      const took = Date.now() - t0;
      expect([code, signal], stderr).toEqual([0, null]);
      expect(took).toBeLessThan(2000);
      expect(stderr).toMatch(/netladder: 10000 events \(connect_error 10000\)/);
      const m = /netladder: (\d+) lines not written: the output reader fell behind \(0 dropped while watching, (\d+) unread at the stop\)/.exec(stderr);
      expect(m, stderr).not.toBeNull();
      expect(Number(m![2])).toBeGreaterThan(0);
      // Its programs go a moment after their links close (RCU).
      await until('its programs to be unloaded', () => (heldBy(watch.pid!, before).length === 0 ? true : undefined), 5000, 100);
    } finally {
      watch.kill('SIGKILL');
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
      await refuser.end();
    }
  });

  it.each([
    ['escape bytes', '\x1b]0;pwn\x07', 'nle\\x1b]0;pwn\\x07'],
    ['UTF-8', 'café', 'nle-café'],
  ])('shows a process named with %s visibly, one line per event, and as valid JSON', async (_what, tail, shown) => {
    const name = tail === 'café' ? 'nle-café' : `nle${tail}`;
    const refuser = new Refuser(await closedPort(), name);
    const human = new Running(['watch', '--no-color', '--pid', String(refuser.pid)]);
    const json = new Running(['watch', '--json', '--pid', String(refuser.pid)]);
    try {
      await refuser.ready();
      await human.said(/watching/);
      await json.said(/watching/);
      expect(await refuser.fail(2)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
      await until('two lines from each', () => (human.stdout.split('\n').filter(Boolean).length >= 2 && json.stdout.split('\n').filter(Boolean).length >= 2 ? true : undefined));
      await sleep(300);
      expect(await human.stop('SIGINT')).toBe(0);
      expect(await json.stop('SIGINT')).toBe(0);
      const lines = human.stdout.split('\n').filter(Boolean);
      expect(lines).toHaveLength(2);
      for (const l of lines) expect(l).toContain(`${shown}[${refuser.pid}]`);
      // eslint-disable-next-line no-control-regex
      expect(human.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
      const events = json.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { comm: string; pid: number });
      expect(events).toHaveLength(2);
      for (const e of events) expect(e).toMatchObject({ comm: name, pid: refuser.pid });
    } finally {
      await human.stop('SIGKILL');
      await json.stop('SIGKILL');
      await refuser.end();
    }
  });
});
