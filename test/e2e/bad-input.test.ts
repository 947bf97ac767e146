// Each bad value as a user would type it: one line on stderr naming the
// option, exit 2, nothing on stdout, and nothing loaded or looked up. None
// should reach the kernel; one accepted by mistake would load programs, so
// the suite runs where watch, top and serve can.
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { needsBpf } from '../support/gate.js';

const CASES: [string[], RegExp][] = [
  [['watch', '--rate-limit', '4294967297'], /--rate-limit takes at most 4294967295/],
  [['watch', '--rate-limit', '-1'], /--rate-limit/],
  [['watch', '--pid', '99999999999999999999999'], /--pid takes a process id/],
  [['watch', '--pid', '4194304'], /--pid takes a process id/],
  [['watch', '--pid', '1e3'], /--pid takes a process id/],
  [['top', '--interval', '3000000'], /--interval takes seconds from 0\.1 to 86400/],
  [['top', '--interval', '0'], /--interval/],
  [['top', '--retire-after', '1e400'], /--retire-after/],
  [['top', '--iterations', '99999999999999999999'], /--iterations takes a whole number from 1 to/],
  [['serve', '--listen', '999.1.1.1:9464'], /--listen .*999\.1\.1\.1 is not an IP address/],
  [['serve', '--listen', '[1:::2]:9464'], /--listen/],
  [['serve', '--max-series', '10000001'], /--max-series takes a whole number from 1 to 10000000/],
  [['serve', '--retire-after', '86401'], /--retire-after takes a whole number from 0 to 86400/],
  [['serve', '--rate-limit', '4294967296'], /--rate-limit takes at most 4294967295/],
  [['diagnose', '--timeout', '61', '127.0.0.1'], /--timeout/],
  [['explain', '-1'], /nothing known about "-1"; codes run from #021 to #030/],
  [['explain', '--', '-1'], /nothing known about "-1"; codes run from #021 to #030/],
  [['explain', '\x1b]qq;pwn\x07'], /nothing known about "\\x1b\]qq;pwn\\x07"/],
];

needsBpf('bad input', () => {
  it.each(CASES)('%j: exit 2, one line', (args, said) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 15_000, killSignal: 'SIGINT' });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^netladder: [^\n]*\n$/);
    expect(r.stderr).toMatch(said);
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(r.stdout).toBe('');
  });
});
