// The matrix's report: report.mjs RESULTS_DIR COLUMN... reads each column's
// directory (what checks.sh wrote, plus seconds and status from matrix.sh)
// and prints a markdown table of kernel × event type, then what each kernel's
// doctor and tests said. An event type is "seen" when `watch --json` printed
// an event of it for the probe's own failure.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [root, ...columns] = process.argv.slice(2);

// [row, test on one line of watch.jsonl]; the probe's steps run as
// nlk-probe, dig and openssl (probe.sh).
const ROWS = [
  ['connect_error (sync)', (e) => e.event === 'connect_error' && e.comm === 'nlk-probe' && !e.async],
  ['connect_error (async)', (e) => e.event === 'connect_error' && e.comm === 'nlk-probe' && e.async],
  ['syn_retransmit', (e) => e.event === 'syn_retransmit' && e.comm === 'nlk-probe'],
  ['reset_received', (e) => e.event === 'reset_received' && e.comm === 'nlk-probe'],
  ['reset_sent', (e) => e.event === 'reset_sent' && e.comm === 'nlk-probe'],
  ['neighbour_failed', (e) => e.event === 'neighbour_failed' && e.daddr === '10.213.99.77'],
  ['bind_error', (e) => e.event === 'bind_error' && e.comm === 'nlk-probe'],
  ['time_wait', (e) => e.event === 'time_wait' && e.comm === 'nlk-probe'],
  ['dns_error (libc)', (e) => e.event === 'dns_error' && e.comm === 'nlk-probe' && e.errno?.startsWith('EAI_')],
  // dig resolves on threads it names isc-net-NNNN; it reads the answer itself.
  ['dns_error (sockets: dig)', (e) => e.event === 'dns_error' && e.errno === 'NXDOMAIN' && e.host === 'nx-probe.nlk.test'],
  ['tls_error', (e) => e.event === 'tls_error' && e.comm === 'openssl'],
];

const read = (dir, f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : null);
const json = (dir, f) => {
  try {
    return JSON.parse(read(dir, f) ?? 'null');
  } catch {
    return null;
  }
};

function column(label) {
  const dir = join(root, label);
  const events = (read(dir, 'watch.jsonl') ?? '')
    .split('\n')
    .filter(Boolean)
    .flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
  const watching = /watching/.test(read(dir, 'watch.err') ?? '');
  const doctor = json(dir, 'doctor.json');
  const tests = [];
  for (let i = 1; existsSync(join(dir, `tests-${i}.json`)); i++) {
    for (const file of json(dir, `tests-${i}.json`)?.testResults ?? []) {
      const results = file.assertionResults ?? [];
      tests.push({
        file: file.name.replace(/.*\/test\//, 'test/'),
        passed: results.filter((r) => r.status === 'passed').length,
        failed: results.filter((r) => r.status === 'failed').map((r) => r.title),
        skipped: results.filter((r) => r.status !== 'passed' && r.status !== 'failed').length,
        // A failed beforeAll fails the file and skips its tests; vitest's
        // JSON keeps no message for it (checks.log has it).
        setupFailed: file.status === 'failed' && !results.some((r) => r.status === 'failed'),
      });
    }
  }
  return {
    label,
    uname: (read(dir, 'uname') ?? '?').trim(),
    seconds: (read(dir, 'seconds') ?? '?').trim(),
    status: (read(dir, 'status') ?? '?').trim(),
    boots: (read(dir, 'boots') ?? '1').trim(),
    watching,
    watchErr: (read(dir, 'watch.err') ?? '').trim().split('\n').slice(-3).join(' '),
    cells: ROWS.map(([, seen]) => (watching ? (events.some(seen) ? 'yes' : '**no**') : '**no** (watch did not start)')),
    doctor,
    doctorExit: (read(dir, 'doctor.exit') ?? '?').trim(),
    probe: (read(dir, 'probe.log') ?? '').trim(),
    tests,
  };
}

const cols = columns.map(column);
const out = [];
out.push(`| event type | ${cols.map((c) => `${c.label} (${c.uname})`).join(' | ')} |`);
out.push(`|---|${cols.map(() => '---').join('|')}|`);
ROWS.forEach(([row], i) => out.push(`| ${row} | ${cols.map((c) => c.cells[i]).join(' | ')} |`));
const attached = (c) => {
  const p = c.doctor?.programs;
  return p ? `${p.filter((x) => x.attached).length} of ${p.length}` : '?';
};
out.push(`| programs attached (doctor) | ${cols.map(attached).join(' | ')} |`);
out.push(`| doctor exit | ${cols.map((c) => c.doctorExit).join(' | ')} |`);
const sum = (c, k) => c.tests.reduce((a, t) => a + (k === 'failed' ? t.failed.length : t[k]), 0);
const notRun = (c) => c.tests.filter((t) => t.setupFailed).reduce((a, t) => a + t.skipped, 0);
out.push(
  `| kernel tests passed / failed / not run | ${cols.map((c) => `${sum(c, 'passed')} / ${sum(c, 'failed')} / ${notRun(c)}`).join(' | ')} |`,
);
out.push(`| seconds (boot to power-off) | ${cols.map((c) => c.seconds).join(' | ')} |`);

for (const c of cols) {
  out.push('', `### ${c.label}: ${c.uname}`, '');
  if (c.status !== '0') out.push(`- the run itself ended with status ${c.status}`);
  if (c.boots === '2') out.push('- the first boot stopped before the checks ended (console-first.log); these are the second boot\'s results');
  const failing = (c.doctor?.checks ?? []).filter((k) => !k.ok).map((k) => `${k.name}: ${k.detail}`);
  out.push(`- doctor exit ${c.doctorExit}${failing.length ? `; failing checks: ${failing.join('; ')}` : ''}`);
  const missing = (c.doctor?.programs ?? []).filter((p) => !p.attached).map((p) => `\`${p.name}\` (${p.hook})`);
  if (missing.length) out.push(`- not attached: ${missing.join(', ')}`);
  if (!c.watching) out.push(`- watch did not start: ${c.watchErr || 'no output'}`);
  if (c.probe) out.push(`- the probe's own view: ${c.probe.split('\n').join('; ')}`);
  for (const t of c.tests) {
    const skipped = t.setupFailed ? `, set-up failed so ${t.skipped} did not run` : t.skipped ? `, ${t.skipped} skipped` : '';
    out.push(`- ${t.file}: ${t.passed} passed, ${t.failed.length} failed${skipped}`);
    for (const f of t.failed) out.push(`  - failed: ${f}`);
  }
}
console.log(out.join('\n'));
