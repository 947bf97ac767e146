// netladder doctor: what this kernel and this user can do, and what is missing.
import { execFileSync } from 'node:child_process';
import { loadAddon, type ProgramStatus } from '../kernel/addon.js';
import { errorCode } from '../core/coded-error.js';
import { startingLibraries } from '../kernel/libraries.js';
import { btfCheck, kernelCheck, privilegeCheck, type Check } from '../kernel/preflight.js';
import { EXIT } from './exit.js';

export interface DoctorOptions {
  json?: boolean;
}

interface Report {
  ok: boolean;
  checks: Check[];
  programs: ProgramStatus[];
}

function tracefsCheck(): Check {
  try {
    const path = loadAddon().ensureTracefs();
    return { name: 'tracefs', ok: true, detail: `mounted at ${path}` };
  } catch (err) {
    return { name: 'tracefs', ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

function bpftraceCheck(): Check {
  try {
    const v = execFileSync('bpftrace', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { name: 'bpftrace', ok: true, detail: `${v.trim()} (second view of the kernel, used by the tests)` };
  } catch {
    return { name: 'bpftrace', ok: false, detail: 'bpftrace not found: apt-get install bpftrace (optional)' };
  }
}

async function programChecks(): Promise<{ check: Check; programs: Report['programs'] }> {
  try {
    const m = new (loadAddon().Monitor)({ ringBytes: 1 << 16, libraries: startingLibraries().libraries });
    const programs = m.start(() => {});
    await m.close();
    const attached = programs.filter((p) => p.attached).length;
    // A skipped uprobe (no libssl here, a stripped binary) loses that one
    // view and nothing else: it is listed, not failed.
    const ok = programs.every((p) => p.attached || p.optional);
    const skipped = programs.filter((p) => !p.attached && p.optional).length;
    return {
      check: {
        name: 'programs',
        ok,
        detail: `${attached} of ${programs.length} programs attach${skipped ? ` (${skipped} optional uprobes skipped)` : ''}`,
      },
      programs,
    };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { check: { name: 'programs', ok: false, detail: `${errorCode(err) ?? 'error'}: ${why}` }, programs: [] };
  }
}

export async function doctor(opts: DoctorOptions): Promise<number> {
  const checks = [kernelCheck(), btfCheck(), privilegeCheck()];
  const canLoad = checks.every((c) => c.ok);
  checks.push(canLoad ? tracefsCheck() : { name: 'tracefs', ok: false, detail: 'not checked: fix the above first' });
  let programs: Report['programs'] = [];
  if (canLoad && checks.every((c) => c.ok)) {
    const r = await programChecks();
    checks.push(r.check);
    programs = r.programs;
  }
  const optional = bpftraceCheck();
  const ok = checks.every((c) => c.ok);
  if (opts.json) {
    const report: Report = { ok, checks: [...checks, optional], programs };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    for (const c of [...checks, optional]) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(10)} ${c.detail}\n`);
    for (const p of programs)
      process.stdout.write(`     ${p.attached ? '+' : '-'} ${p.name.padEnd(20)} ${p.hook}${p.error ? `  (${p.error})` : ''}\n`);
  }
  return ok ? EXIT.OK : EXIT.ENVIRONMENT;
}
