// Least privilege as an operator meets it: a user made for this file runs
// netladder with exactly the capabilities README documents for a view, and
// without one of them gets exit 3 and the sentence that names it; once
// attached, `watch` and `serve` keep only what they still need, on every
// thread, with no_new_privs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CAP, KEPT_AFTER_ATTACH, setOf, VIEWS, type Capability } from '../../src/kernel/capabilities.js';
import { findLibraries } from '../../src/kernel/libraries.js';
import { TestUser, threadStatuses } from '../support/capsh.js';
import { Child, FIXTURES } from '../support/child.js';
import { CLI, Running } from '../support/cli.js';
import { expectedRefused } from '../support/events.js';
import { needsBpf } from '../support/gate.js';
import { closedPort } from '../support/ports.js';
import { Refuser } from '../support/refuser.js';
import { until } from '../support/wait.js';

const capsh = (caps: readonly Capability[]) => caps.map((c) => `cap_${c.toLowerCase()}`);
const KERNEL = [...VIEWS.kernel];
const ALL_VIEWS = [...VIEWS.kernel, ...VIEWS.uprobes, ...VIEWS.containers];

/** Is tracefs closed to other users here (mode 0700, ids 0440), as it is by default? */
function tracefsPrivate(): boolean {
  try {
    const dir = statSync('/sys/kernel/tracing').mode;
    const id = statSync('/sys/kernel/tracing/events/syscalls/sys_exit_connect/id').mode;
    return (dir & 0o005) !== 0o005 || (id & 0o004) === 0;
  } catch {
    return false;
  }
}

/** Every thread of a running agent holds exactly `kept`, with no_new_privs. */
function expectDropped(pid: number, kept: bigint, bounding: bigint | null): void {
  const threads = threadStatuses(pid);
  // Node's main thread, libuv's pool, V8's workers, the inspector's, ours.
  expect(threads.length).toBeGreaterThan(4);
  for (const t of threads) {
    expect({ tid: t.tid, eff: t.CapEff, prm: t.CapPrm, inh: t.CapInh, amb: t.CapAmb, nnp: t.NoNewPrivs }).toEqual({
      tid: t.tid,
      eff: kept,
      prm: kept,
      inh: 0n,
      amb: 0n,
      nnp: '1',
    });
    if (bounding !== null) expect(t.CapBnd, t.tid).toBe(bounding);
  }
}

needsBpf('least privilege', () => {
  let user: TestUser;
  let uid: number;

  beforeAll(() => {
    user = TestUser.create('priv');
    uid = Number(execFileSync('id', ['-u', user.name], { encoding: 'utf8' }));
  });
  afterAll(() => user?.remove());

  function runAs(caps: readonly Capability[], args: string[]) {
    const [cmd, ...rest] = user.launch(capsh(caps));
    const r = spawnSync(cmd!, [...rest, process.execPath, CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('with exactly the kernel view\'s capabilities, a user watches a refused connect by a known pid, then holds only CAP_BPF and CAP_PERFMON', async () => {
    const port = await closedPort();
    const refuser = new Refuser(port, 'nlt-priv');
    try {
      await refuser.ready();
      const watch = new Running(['watch', '--json', '--pid', String(refuser.pid)], user.launch(capsh(KERNEL)));
      await watch.said(/watching/);
      expect(await refuser.fail(1)).toEqual(['ECONNREFUSED']);
      const line = await until('the refused connect on stdout', () => watch.stdout.split('\n').find(Boolean));
      expect(JSON.parse(line)).toMatchObject(expectedRefused(refuser.pid, port, 'nlt-priv'));
      // Tracefs is not read again: CAP_DAC_READ_SEARCH goes. Without
      // CAP_SETPCAP the bounding set cannot shrink; no_new_privs holds it.
      expectDropped(watch.proc.pid!, setOf(['BPF', 'PERFMON']), null);
      expect(await watch.stop('SIGINT')).toBe(0);
    } finally {
      await refuser.end();
    }
  });

  it.each<[Capability, () => string]>([
    ['BPF', () => `netladder: loading BPF programs needs root, or CAP_BPF and CAP_PERFMON; uid ${uid} lacks CAP_BPF\n`],
    ['PERFMON', () => `netladder: loading BPF programs needs root, or CAP_BPF and CAP_PERFMON; uid ${uid} lacks CAP_PERFMON\n`],
    [
      'DAC_READ_SEARCH',
      () =>
        `netladder: tracefs is mounted at /sys/kernel/tracing (mode ${(statSync('/sys/kernel/tracing').mode & 0o777).toString(8).padStart(4, '0')}) ` +
        `but uid ${uid} cannot read /sys/kernel/tracing/events/syscalls/sys_exit_connect/id: attaching tracepoints reads their ids there, which needs CAP_DAC_READ_SEARCH (or run as root)\n`,
    ],
  ])('without CAP_%s: exit 3 and the sentence that names it', (missing, sentence) => {
    if (missing === 'DAC_READ_SEARCH' && !tracefsPrivate()) return; // tracefs open to all here: nothing to need
    const r = runAs(
      KERNEL.filter((c) => c !== missing),
      ['watch'],
    );
    expect(r.stderr).toBe(sentence());
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
  });

  it('doctor with the kernel view only: every uprobe is a FAIL line saying it needs CAP_SYS_ADMIN, and it exits 3', () => {
    const text = runAs(KERNEL, ['doctor']);
    expect(text.code).toBe(3);
    // The total follows the BPF object; the 12 refused are the uprobes.
    const [, attached, total] = /^FAIL programs +(\d+) of (\d+) programs attach \(12 failed\)$/m.exec(text.stdout) ?? [];
    expect(Number(attached)).toBe(Number(total) - 12);
    const failLines = text.stdout.split('\n').filter((l) => l.startsWith('FAIL x '));
    expect(failLines.length).toBe(12);
    for (const l of failLines) expect(l).toMatch(/^FAIL x nl_\w+ +u(ret)?probe:\S+  \(attach failed: Permission denied: the kernel's uprobes need CAP_SYS_ADMIN\)$/);

    const json = runAs(KERNEL, ['doctor', '--json']);
    expect(json.code).toBe(3);
    const report = JSON.parse(json.stdout) as { ok: boolean; programs: { optional?: boolean; attached: boolean; ok: boolean; why?: string }[] };
    expect(report.ok).toBe(false);
    const refused = report.programs.filter((p) => !p.ok);
    expect(refused.length).toBe(12);
    for (const p of refused) expect(p).toMatchObject({ optional: true, attached: false, why: expect.stringMatching(/CAP_SYS_ADMIN$/) });
    // The kernel hooks themselves all attached.
    expect(report.programs.filter((p) => !p.optional).every((p) => p.attached)).toBe(true);
  });

  it('doctor with every view\'s capabilities: everything attaches, exit 0', () => {
    const r = runAs(ALL_VIEWS, ['doctor']);
    expect(r.stdout).toMatch(/^ok   programs +(\d+) of \1 programs attach$/m);
    expect(r.stdout).not.toMatch(/^FAIL/m);
    expect(r.code).toBe(0);
  });

  it.each([
    ['watch', ['watch', '--json'], /watching/],
    ['serve', ['serve', '--listen', '127.0.0.1:0'], /metrics on http:\/\/(127\.0\.0\.1:\d+)\/metrics/],
  ])('%s as root keeps only what attaching containers\' libraries needs, on every thread, bounding set too, with no_new_privs', async (_, args, ready) => {
    const agent = new Running(args as string[]);
    try {
      const m = await agent.said(ready as RegExp);
      const kept = setOf(KEPT_AFTER_ATTACH);
      expect(kept).toBe((1n << BigInt(CAP.BPF)) | (1n << BigInt(CAP.PERFMON)) | (1n << BigInt(CAP.SYS_ADMIN)) | (1n << BigInt(CAP.SYS_PTRACE)));
      expectDropped(agent.proc.pid!, kept, kept);
      // The main thread as /proc/PID/status shows it too.
      const main = threadStatuses(agent.proc.pid!).find((t) => t.tid === String(agent.proc.pid));
      expect(main?.CapEff).toBe(kept);
      // And it still works: serve answers a scrape.
      if (m[1]) expect((await fetch(`http://${m[1]}/metrics`)).status).toBe(200);
    } finally {
      expect(await agent.stop('SIGINT')).toBe(0);
    }
  });

  it('what is kept is enough: a container started after the drop still gets its own libc probed', async () => {
    // An agent that dropped as watch and serve do, rescanning every 200 ms.
    const agent = spawn(process.execPath, [`${FIXTURES}attach-after-drop.mjs`], { stdio: 'pipe' });
    const said = createInterface({ input: agent.stdout })[Symbol.asyncIterator]();
    const libc = findLibraries()['libc.so.6']!;
    const dir = mkdtempSync(join(tmpdir(), 'nlt-priv-libc-'));
    let box: Child | undefined;
    try {
      expect((await said.next()).value).toBe('ready');
      copyFileSync(libc, join(dir, 'libc.so.6'));
      box = new Child(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', `mount --bind ${dir}/libc.so.6 ${libc} && echo ready && exec sleep 30`]);
      await box.ready;
      agent.stdin.write(`${box.pid}\n`);
      expect((await said.next()).value).toBe('done attached');
    } finally {
      box?.kill();
      agent.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
