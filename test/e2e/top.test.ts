// `netladder top` as a person sees it, in a real terminal (tmux), and as a
// script reads it (--once --json); plus the view's pure parts.
import { afterEach, describe, expect, it } from 'vitest';
import { Aggregator } from '../../src/agent/aggregator.js';
import type { NetEvent } from '../../src/core/event.js';
import { press, type ViewState } from '../../src/top/keys.js';
import { fitColumns, renderTable } from '../../src/top/table.js';
import { batchText, type TopSnapshot } from '../../src/top/snapshot.js';
import { run, Running } from '../support/cli.js';
import { refusedEvent } from '../support/events.js';
import { needsBpf } from '../support/gate.js';
import { closedPort } from '../support/ports.js';
import { sleep } from '../support/wait.js';
import { Refuser } from '../support/refuser.js';
import { Tmux } from '../support/tmux.js';

/** The row of `pid` on a captured screen, as header name -> cell. */
function rowOf(screen: string, pid: number): Record<string, string> | undefined {
  const lines = screen.split('\n');
  const header = lines.find((l) => /^\s*PID S COMM/.test(l));
  const line = lines.find((l) => new RegExp(`^[> ]\\s*${pid} `).test(l));
  if (!header || !line) return undefined;
  const names = header.replace('LAST DESTINATION', 'LAST_DESTINATION').trim().split(/\s+/);
  const cells = line.replace(/^>/, ' ').trim().split(/\s+/);
  return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
}

describe('top view, pure parts', () => {
  const agg = new Aggregator({ clock: () => 1_000_000 });
  agg.applyCounters([
    { pid: 10, event: 'connect_error', errno: 'ECONNREFUSED', count: 3 },
    { pid: 11, event: 'connect_error', errno: 'ETIMEDOUT', count: 8 },
    { pid: 11, event: 'time_wait', errno: null, count: 1200 },
  ]);
  const snap: TopSnapshot = { time: 1_000_000, uptime: 5, processes: agg.snapshot(), losses: { ringbufFull: 0, rateLimited: 0, counterFull: 0, dnsPendingFull: 0 } };

  it.each([200, 160, 120, 80, 60])('fits the table in %i columns, keeping PID and COMM', (width) => {
    const t = renderTable(snap.processes, width, 'totals');
    for (const l of [t.header, ...t.lines]) expect(l.length).toBe(width);
    expect(t.header).toMatch(/^\s+PID .*COMM/);
    expect(fitColumns(width).map((c) => c.col.key)).toEqual(expect.arrayContaining(['pid', 'comm']));
  });

  it('prints plain snapshots sorted as asked', () => {
    const text = batchText(snap, { sort: 'timeout', reverse: false, mode: 'totals', filter: '' }, 200);
    const rows = text.split('\n').filter((l) => /^\s+1[01] /.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/)[0])).toEqual(['11', '10']);
    expect(rows[0]).toMatch(/ 1\.2k /); // 1209 total, compact
    expect(text).not.toMatch(/\x1b/);
  });

  it.each<[string, Partial<ViewState>, Parameters<typeof press>[1], Partial<ViewState>]>([
    ['s sorts by the next column', { sort: 'pid' }, { input: 's' }, { sort: 'comm' }],
    ['S by the previous, wrapping', { sort: 'pid' }, { input: 'S' }, { sort: 'unit' }],
    ['i inverts', {}, { input: 'i' }, { reverse: true }],
    ['r switches totals and rates', {}, { input: 'r' }, { mode: 'rates' }],
    ['space pauses', {}, { input: ' ' }, { paused: true }],
    ['/ starts a filter', {}, { input: '/' }, { editing: true }],
    ['typing goes to the filter', { editing: true, filter: 'cu' }, { input: 'r' }, { filter: 'cur', mode: 'totals' }],
    ['Esc clears the filter', { editing: true, filter: 'cu' }, { input: '', escape: true }, { filter: '', editing: false }],
    ['down selects the next row', { selected: 10 }, { input: '', down: true }, { selected: 11 }],
    ['up stops at the first', { selected: 10 }, { input: 'k' }, { selected: 10 }],
    ['any key closes help', { help: true }, { input: 'q' }, { help: false, quit: false }],
    ['q quits', {}, { input: 'q' }, { quit: true }],
  ])('%s', (_, from, key, to) => {
    const base: ViewState = { sort: 'rate10', reverse: false, mode: 'totals', filter: '', paused: false, help: false, editing: false, selected: null, quit: false };
    expect(press({ ...base, ...from }, key, [10, 11, 12].slice(0, 2))).toMatchObject(to);
  });

  const ev = (over: Partial<NetEvent>): NetEvent => refusedEvent({ saddr: '10.0.0.1', sport: 5000, daddr: '10.1.2.3', dport: 8443, ...over });
  it.each<[string, Partial<NetEvent>, string]>([
    ['refused: who listens on the port', {}, "ss -tlnp 'sport = :8443'"],
    ['no route: the route to the destination', { errno: 'EHOSTUNREACH', seed: '#022', rung: 'route' }, 'ip route get 10.1.2.3'],
    ['timed out: capture the packets', { errno: 'ETIMEDOUT', seed: '#023', rung: 'firewall' }, 'tcpdump -ni any host 10.1.2.3 and port 8443'],
    ['network unreachable: the route, the device unknown', { errno: 'ENETUNREACH', seed: '#026', rung: 'route' }, 'ip route get 10.1.2.3'],
    ['bind: our own port', { event: 'bind_error', errno: 'EADDRINUSE', seed: '#027', sport: 8080, daddr: null, dport: null }, "ss -tlnp 'sport = :8080'"],
    ['TIME_WAIT: the summary', { event: 'time_wait', errno: null, seed: '#028' }, 'ss -s'],
    ['ARP: the neighbour entry', { event: 'neighbour_failed', errno: null, seed: '#029', rung: 'link', dev: 'veth0', dport: null } as Partial<NetEvent>, 'ip neigh show 10.1.2.3'],
    ['DNS: the name', { event: 'dns_error', errno: 'EAI_NONAME', seed: '#024', rung: 'dns', host: 'db.internal', daddr: null } as Partial<NetEvent>, 'dig +short db.internal'],
    ['no code: explain the errno', { errno: 'EPERM', seed: null, rung: 'firewall' }, 'netladder explain EPERM'],
  ])('next command, %s', async (_, over, cmd) => {
    const { nextCommand } = await import('../../src/top/next-command.js');
    expect(nextCommand(ev(over))).toBe(cmd);
  });

  it('shows the next command with the destination filled in', async () => {
    const a = new Aggregator({ clock: () => 0 });
    a.applyCounters([{ pid: 5, event: 'connect_error', errno: 'ECONNREFUSED', count: 1 }]);
    const e = refusedEvent({ sport: 5000, daddr: '10.1.2.3', dport: 8443 });
    a.observe([e]);
    const { renderDetail } = await import('../../src/top/detail.js');
    const [, line] = renderDetail(a.snapshot()[0]!, 200, 5);
    expect(line).toContain('connect_error    ECONNREFUSED -> 10.1.2.3:8443');
    expect(line).toContain("#021 application next: ss -tlnp 'sport = :8443'");
  });
});

needsBpf('netladder top in a terminal', () => {
  let tmux: Tmux | undefined;
  let refuser: Refuser | undefined;
  afterEach(() => {
    tmux?.kill();
    refuser?.kill();
  });

  it("shows a failing process's row with its exact counts, its failures and the next command; q restores the screen", async () => {
    const port = await closedPort();
    refuser = new Refuser(port, 'nla-top');
    await refuser.ready();
    tmux = new Tmux(160, 40);
    tmux.type('clear; echo BEFORE-TOP');
    tmux.type(`node ${process.cwd()}/dist/cli/index.js top; echo TOP-EXIT=$?`);
    await tmux.waitFor('top to start', (s) => s.includes('netladder top -') && /PID S COMM/.test(s));

    const N = 7;
    expect(await refuser.fail(N)).toEqual(Array(N).fill('ECONNREFUSED'));
    // Narrow the view to our child with the filter, as a person would.
    tmux.keys('/');
    tmux.keys('-l', 'nla-top');
    tmux.keys('Enter');
    const screen = await tmux.waitFor(
      `row of pid ${refuser.pid} with ${N} refused, filter applied`,
      (s) => rowOf(s, refuser!.pid)?.REFUSED === String(N) && !s.includes('Enter keeps'),
    );
    const row = rowOf(screen, refuser.pid)!;
    expect(row).toMatchObject({ S: 'R', COMM: 'nla-top', REFUSED: String(N), UNREACH: '0', TIMEOUT: '0', RESET: '0', TOTAL: String(N), LAST_DESTINATION: `127.0.0.1:${port}` });
    expect(screen).toContain('filter "nla-top"');
    // The selected (only) process's latest failures, with the ladder hint.
    expect(screen).toMatch(new RegExp(`pid ${refuser.pid} nla-top: /usr/bin/python3 \\S*/sockets\\.py refuse ${port} nla-top`));
    const failures = screen.split('\n').filter((l) => l.includes(`-> 127.0.0.1:${port}`));
    expect(failures).toHaveLength(5); // the latest five of seven
    for (const l of failures) expect(l).toMatch(new RegExp(`connect_error\\s+ECONNREFUSED -> 127\\.0\\.0\\.1:${port}\\s+#021 application next: ss -tlnp 'sport = :${port}'`));
    process.stdout.write(`\n--- netladder top in tmux 160x40 ---\n${screen}\n`);

    // Colour on a terminal: the header is drawn in reverse video.
    expect(tmux.screen(true)).toMatch(/\x1b\[(?:0;)?7m(?:\x1b\[[0-9;]*m)*\s+PID S COMM/);

    // Resize: the table is laid out again for the new width.
    tmux.resize(90, 30);
    const narrow = await tmux.waitFor('the table at 90 columns', (s) => {
      const header = s.split('\n').find((l) => /^\s*PID S COMM/.test(l));
      // A frame can be caught half redrawn: wait for the whole row in the new layout.
      const row = rowOf(s, refuser!.pid);
      return header !== undefined && header.trimEnd().length <= 90 && !header.includes('UNIT/CONTAINER') && row?.REFUSED === String(N) && row.TOTAL === String(N);
    });
    expect(rowOf(narrow, refuser.pid)).toMatchObject({ COMM: 'nla-top', REFUSED: String(N), TOTAL: String(N) });
    for (const l of narrow.split('\n')) expect(l.length).toBeLessThanOrEqual(90);

    // Help, then back.
    tmux.keys('h');
    await tmux.waitFor('the help screen', (s) => s.includes('Keys') && s.includes('invert the sort order'));
    tmux.keys('x');
    await tmux.waitFor('the table again', (s) => rowOf(s, refuser!.pid) !== undefined);

    // The child exits: its row stays, marked X.
    await refuser.end();
    await tmux.waitFor('the row marked exited', (s) => rowOf(s, refuser!.pid)?.S === 'X');

    tmux.keys('q');
    const after = await tmux.waitFor('top to exit', (s) => /TOP-EXIT=\d/.test(s));
    expect(after).toContain('TOP-EXIT=0');
    // The alternate screen is gone: the shell's screen is back as it was.
    expect(after).toContain('BEFORE-TOP');
    expect(after).not.toMatch(/PID S COMM/);
  });

  it('draws no colour under NO_COLOR', async () => {
    tmux = new Tmux(120, 30, { NO_COLOR: '1' });
    tmux.type(`node ${process.cwd()}/dist/cli/index.js top`);
    await tmux.waitFor('top to start', (s) => /PID S COMM/.test(s));
    await sleep(300);
    const withEscapes = tmux.screen(true);
    expect(withEscapes).toMatch(/PID S COMM/);
    expect(withEscapes).not.toMatch(/\x1b\[[0-9;]*m/);
    tmux.keys('q');
  });

  it('--once --json prints one snapshot with exact counts for a known pid', async () => {
    const port = await closedPort();
    refuser = new Refuser(port, 'nla-once');
    await refuser.ready();
    const topRun = new Running(['top', '--once', '--json', '--interval', '3']);
    // Fail only once the capture is attached.
    await topRun.attached();
    const N = 4;
    expect(await refuser.fail(N)).toEqual(Array(N).fill('ECONNREFUSED'));
    const code = await new Promise<number | null>((r) => topRun.proc.on('exit', r));
    expect(code).toBe(0);
    const lines = topRun.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const snap = JSON.parse(lines[0]!) as { time: string; processes: Record<string, unknown>[] };
    expect(snap.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const p = snap.processes.find((x) => x.pid === refuser!.pid);
    expect(p).toMatchObject({
      comm: 'nla-once',
      exited: false,
      total: N,
      kinds: { refused: N, unreach: 0, timeout: 0, reset: 0 },
      series: [{ event: 'connect_error', errno: 'ECONNREFUSED', total: N }],
      lastDestination: `127.0.0.1:${port}`,
    });
    const recent = p!.recent as Record<string, unknown>[];
    expect(recent).toHaveLength(N);
    for (const e of recent) expect(e).toMatchObject({ event: 'connect_error', pid: refuser.pid, dport: port, seed: '#021', rung: 'application', next: `ss -tlnp 'sport = :${port}'` });
  });

  it('without a terminal prints plain snapshots, like top -b', async () => {
    const r = await run(['top', '--iterations', '2', '--interval', '0.5', '--sort', 'total']);
    expect(r.code).toBe(0);
    const blocks = r.stdout.split('netladder top - ').slice(1);
    expect(blocks).toHaveLength(2);
    for (const b of blocks) expect(b).toMatch(/\n\s+PID S COMM\s+REFUSED/);
    expect(r.stdout).not.toMatch(/\x1b/);
  });

  it('rejects bad options with exit 2', async () => {
    for (const args of [['--sort', 'nope'], ['--interval', 'x'], ['--json'], ['--iterations', '0']]) {
      const r = await run(['top', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
  });
});
