// The monitors a bench compares, each started before a watched run and
// stopped after it: netladder itself, its peers from Debian, and the floor
// (empty programs on netladder's own hooks).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { here } from './lib.mjs';

const root = join(here, '..');
export const cli = join(root, 'dist/cli/index.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (s) => process.stderr.write(`${s}\n`);

/** A monitor factory: spawns the command and resolves once `ready` matches
 *  its output, with the time that took. */
export function starter(cmd, args, ready, stream = 'stderr') {
  return async () => {
    const t0 = process.hrtime.bigint();
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    p[stream].on('data', (d) => {
      if (text.length < 65536) text += d;
    });
    p[stream === 'stdout' ? 'stderr' : 'stdout'].resume();
    while (!ready.test(text)) {
      if (p.exitCode !== null) throw new Error(`${cmd} exited: ${text}`);
      await sleep(10);
    }
    const startMs = Number(process.hrtime.bigint() - t0) / 1e6;
    return { p, startMs, output: () => text };
  };
}

export async function stop(m) {
  const exited = once(m.p, 'exit');
  m.p.kill('SIGINT');
  // A monitor that ignores SIGINT is killed: its programs go with its fds.
  const timer = setTimeout(() => {
    log(`${m.p.spawnargs[0]} ignored SIGINT for 10 s: killed`);
    m.p.kill('SIGKILL');
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

/** utime + stime of a process, in seconds. */
export function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // USER_HZ ticks
  } catch {
    return NaN;
  }
}

export async function scrape(m) {
  const at = /metrics on (http:\/\/[^\s;]+)/.exec(m.output())[1];
  return (await fetch(at)).text();
}

// BEGIN fires once every probe is attached: "Attaching N probes" comes
// before, and a SIGINT during attachment is lost.
export const BPFTRACE = `BEGIN { printf("ready\\n"); }
tracepoint:syscalls:sys_exit_connect /args->ret < 0 && args->ret != -115/ { @connect[pid, args->ret] = count(); }
tracepoint:sock:inet_sk_error_report /args->error != 0/ { @report[args->error] = count(); }
tracepoint:tcp:tcp_receive_reset { @rst_in[pid] = count(); }
tracepoint:tcp:tcp_send_reset { @rst_out = count(); }
tracepoint:sock:inet_sock_set_state /args->oldstate == 5 && args->newstate == 7/ { @tw[pid] = count(); }`;

/** The floor: netladder's hooks with programs that return at once (built
 *  from the section names of netladder's BPF object, loaded by floor.c).
 *  Uprobes are left out: they cost only the library calls they catch. */
export function buildFloor(object = join(root, 'build/native/gen/netladder.bpf.o')) {
  const sections = execFileSync('llvm-readelf', ['-S', '--wide', object], { encoding: 'utf8' });
  const hooks = new Set();
  for (const [, name] of sections.matchAll(/\] (\S+) +PROGBITS/g)) if (/^(?:tracepoint|tp_btf|raw_tp)\//.test(name)) hooks.add(name);
  const source = [
    'char LICENSE[] __attribute__((section("license"), used)) = "GPL";',
    ...[...hooks].map((h, i) => `__attribute__((section("${h}"), used)) int floor_${i}(void *ctx) { return 0; }`),
  ].join('\n');
  const dir = join(here, 'tmp');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'floor.bpf.c'), `${source}\n`);
  execFileSync('clang', ['-O2', '-g', '-target', 'bpf', '-c', join(dir, 'floor.bpf.c'), '-o', join(dir, 'floor.bpf.o')]);
  execFileSync('cc', ['-O2', '-o', join(dir, 'floor'), join(here, 'floor.c'), '-lbpf']);
  return { loader: join(dir, 'floor'), object: join(dir, 'floor.bpf.o'), hooks: [...hooks] };
}

/** The monitors by name. `serve` exports counts only; `watch` also formats
 *  every record. */
export function monitors({ watch = true, floor = false } = {}) {
  return {
    ...(watch ? { 'netladder watch --json >/dev/null': starter(process.execPath, [cli, 'watch', '--json'], /watching/) } : {}),
    'netladder serve': starter(process.execPath, [cli, 'serve', '--listen', '127.0.0.1:0'], /metrics on http/),
    'bpftrace, counts in kernel maps': starter('bpftrace', ['-e', BPFTRACE], /^ready$/m, 'stdout'),
    // stdbuf: tcpstates block-buffers into a pipe, and we wait for its header.
    'tcpstates (libbpf-tools)': starter('stdbuf', ['-oL', 'tcpstates'], /SKADDR/, 'stdout'),
    ...(floor ? { "floor: empty programs on netladder's hooks": floorStarter() } : {}),
  };
}

function floorStarter() {
  const { loader, object } = buildFloor();
  return starter(loader, [object], /^ready/m, 'stdout');
}
