// netladder doctor: what this kernel and this user can do, and what is missing.
import { execFileSync } from 'node:child_process';
import { loadAddon, type ProgramStatus } from '../kernel/addon.js';
import { errorCode } from '../core/coded-error.js';
import { startingLibraries } from '../kernel/libraries.js';
import { attachedOrSkipped, attachWhy, btfCheck, kernelCheck, privilegeCheck, tracefsCheck, type Check } from '../kernel/preflight.js';
import { EXIT } from './exit.js';

export interface DoctorOptions {
  json?: boolean;
}

interface Report {
  ok: boolean;
  checks: Check[];
  /** each row: ok false when it did not attach for a reason other than a
   *  missing file or symbol; why says what it lacked */
  programs: (ProgramStatus & { ok?: boolean; why?: string })[];
}

// Readable where it is mounted, else mounted now.
function tracefs(): Check {
  const readable = tracefsCheck();
  if (!readable.ok) return readable;
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
    // view and nothing else: it is listed, not failed. One refused (EACCES
    // for want of a capability) is a failure, optional or not.
    const failed = programs.filter((p) => !attachedOrSkipped(p));
    const skipped = programs.filter((p) => !p.attached && attachedOrSkipped(p)).length;
    const notes = [failed.length ? `${failed.length} failed` : '', skipped ? `${skipped} optional uprobes skipped` : ''].filter(Boolean);
    return {
      check: {
        name: 'programs',
        ok: failed.length === 0,
        detail: `${attached} of ${programs.length} programs attach${notes.length ? ` (${notes.join(', ')})` : ''}`,
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
  checks.push(canLoad ? tracefs() : { name: 'tracefs', ok: false, detail: 'not checked: fix the above first' });
  let programs: Report['programs'] = [];
  if (canLoad && checks.every((c) => c.ok)) {
    const r = await programChecks();
    checks.push(r.check);
    programs = r.programs;
  }
  const optional = bpftraceCheck();
  const ok = checks.every((c) => c.ok);
  if (opts.json) {
    const rows = programs.map((p) => {
      const why = attachWhy(p);
      return { ...p, ok: attachedOrSkipped(p), ...(why ? { why } : {}) };
    });
    const report: Report = { ok, checks: [...checks, optional], programs: rows };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    for (const c of [...checks, optional]) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(10)} ${c.detail}\n`);
    // "+" attached, "-" skipped (file or symbol missing), "FAIL x" not attached, and why.
    for (const p of programs) {
      const mark = p.attached ? '     +' : attachedOrSkipped(p) ? '     -' : 'FAIL x';
      const why = attachWhy(p);
      process.stdout.write(`${mark} ${p.name.padEnd(20)} ${p.hook}${why ? `  (${why})` : ''}\n`);
    }
  }
  return ok ? EXIT.OK : EXIT.ENVIRONMENT;
}
