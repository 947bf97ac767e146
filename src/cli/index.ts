#!/usr/bin/env node
// netladder's command line: parse, call the core, print, exit.
import { Command, CommanderError, Option } from 'commander';
import { EVENT_NAMES } from '../core/event.js';
import { TLS_PORTS } from '../diagnose/target.js';
import { DEFAULT_LISTEN, formatListen } from '../serve/listen.js';
import { SORT_KEYS } from '../top/columns.js';
import { DEFAULT_SORT } from '../top/sort.js';
import type { DiagnoseOptions } from './diagnose.js';
import type { DoctorOptions } from './doctor.js';
import { EXIT, report } from './exit.js';
import type { ExplainOptions } from './explain.js';
import { guardStreams, leave } from './output.js';
import type { ServeOptions } from './serve.js';
import type { TopOptions } from './top.js';
import { VERSION } from './version.js';
import type { WatchOptions } from './watch.js';

// Each command's module loads only when that command runs: serve and watch
// need not carry ink, React and yoga (20 MB of memory) that only top uses.
function action<T extends unknown[]>(fn: (...args: T) => Promise<number>): (...args: T) => Promise<void> {
  return async (...args: T) => {
    try {
      process.exitCode = await fn(...args);
    } catch (err) {
      process.exitCode = report(err);
    }
    leave();
  };
}

guardStreams();

const program = new Command()
  .name('netladder')
  .description('See which processes are failing on the network, how, and which rung of the ladder to check next.')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program
  .command('watch')
  .description('stream each network failure as it happens, attributed to the process that owns the socket')
  .option('--json', 'one JSON object per line')
  .option('--pid <pid>', 'only this process')
  .option('--comm <name>', 'only processes with this command name')
  .option('--event <events>', `only these events, comma-separated: ${EVENT_NAMES.join(', ')}`)
  .option('--errno <names>', 'only these errors, comma-separated (ECONNREFUSED, ETIMEDOUT, ...)')
  .option('--rate-limit <n>', 'at most n detail records per second per process, event and errno (0: no limit; counts stay exact)', '0')
  .option('--no-color', 'no colour even on a terminal')
  .addHelpText(
    'after',
    '\nNeeds root (or CAP_BPF and CAP_PERFMON). Messages go to stderr, events to stdout.\nExit codes: 0 stopped cleanly, 2 bad option, 3 not permitted or kernel lacks a feature.',
  )
  .action(action(async (opts: WatchOptions) => (await import('./watch.js')).watch(opts)));

program
  .command('doctor')
  .description('check what this kernel and this user can do, and what is missing')
  .option('--json', 'one JSON object')
  .addHelpText('after', '\nExit codes: 0 everything needed works, 3 something is missing.')
  .action(action(async (opts: DoctorOptions) => (await import('./doctor.js')).doctor(opts)));

program
  .command('top')
  .description('live table of the processes failing on the network, with the next command to run')
  .option('--interval <seconds>', 'refresh every this many seconds', '1')
  .option('--sort <column>', `sort by: ${SORT_KEYS.join(', ')}`, DEFAULT_SORT)
  .option('--filter <text>', 'only processes whose pid, command, unit, container or destination contains this')
  .option('--once', 'print one snapshot after one interval and exit')
  .option('--json', 'with --once: the snapshot as one JSON object')
  .option('-n, --iterations <n>', 'without a terminal: print this many snapshots, then exit')
  .option('--retire-after <seconds>', 'keep exited processes in view this long', '60')
  .option('--no-color', 'no colour even on a terminal')
  .addHelpText(
    'after',
    '\nOn a terminal: an interactive view (press h for keys). Otherwise: plain snapshots, like top -b.\nNeeds root (or CAP_BPF and CAP_PERFMON).\nExit codes: 0 stopped cleanly, 2 bad option, 3 not permitted or kernel lacks a feature.',
  )
  .action(
    action(async (opts: TopOptions) => {
      // ink draws nothing until exit when CI is set (it assumes no terminal);
      // on a real terminal the user wants the live view, so it must not
      // see CI before it loads.
      if (process.stdout.isTTY && process.stdin.isTTY) {
        delete process.env.CI;
        delete process.env.CONTINUOUS_INTEGRATION;
      }
      return (await import('./top.js')).top(opts);
    }),
  );

program
  .command('serve')
  .description('export per-process failure counts to Prometheus over HTTP or HTTPS (/metrics, /healthz, /readyz, landing page at /)')
  .option('--listen <host:port>', 'address to listen on; ":PORT" for every address', formatListen(DEFAULT_LISTEN))
  .option('--by <pid|comm>', 'one series per process (pid) or per command name (comm), for large fleets', 'pid')
  .option('--max-series <n>', 'cap on netladder_events_total series; failures of series kept out are counted in netladder_overflow_events_total', '10000')
  .option('--retire-after <seconds>', 'keep an exited process\'s series this long, so the last scrape sees its final count', '300')
  .option('--rate-limit <n>', 'detail records per second per process, event and errno (0: no limit); counts stay exact', '100')
  .option('--web.config.file <file>', "TLS and basic auth, in Prometheus exporter-toolkit's web config format; re-read when it changes")
  .option('--max-connections <n>', 'connections held at once; at the cap the one idle longest is closed', '256')
  .addHelpText(
    'after',
    '\nNeeds root (or CAP_BPF and CAP_PERFMON). Values are read from the kernel at each scrape.\n/healthz answers while alive, /readyz once programs are attached and counters read.\nExit codes: 0 stopped cleanly (SIGINT or SIGTERM), 1 cannot listen, 2 bad option or web config file, 3 not permitted or kernel lacks a feature.',
  )
  .action(action(async (opts: ServeOptions) => (await import('./serve.js')).serve(opts)));

program
  .command('explain')
  .description('what an error means, its likely causes, its rung of the ladder and the commands to run next')
  .argument('<query...>', 'an error name (ECONNREFUSED), a code (#021 or 21) or a few words ("timed out")')
  .option('--json', 'the entry as JSON (an array when several match)')
  .option('--no-color', 'no colour even on a terminal')
  .addHelpText('after', '\nCodes #021 to #030 are the ten errors of the diagnostic ladder.\nExit codes: 0 found, 2 nothing matches (with a suggestion).')
  .action(action(async (words: string[], opts: ExplainOptions) => (await import('./explain.js')).explain(words, opts)));

program
  .command('diagnose')
  .description('walk the ladder (link, address, route, firewall, DNS, application) toward a target from this network namespace and stop at the first rung that fails')
  .argument('<target>', 'HOST[:PORT]: a name or address, with a port to test a TCP connection ([ADDR]:PORT for IPv6)')
  .option('--json', 'one JSON object')
  .option('--timeout <seconds>', 'time allowed to each rung', '3')
  .option('--tls', `check the TLS handshake and certificate on any port (${[...TLS_PORTS].join(', ')} are checked anyway)`)
  .option('--no-color', 'no colour even on a terminal')
  .addHelpText(
    'after',
    '\nSends a few packets to the target and its next hop; reading firewall rules needs root.\nExit codes: 0 the target is reachable, 1 a rung failed (see the verdict), 2 bad input.',
  )
  .action(action(async (target: string, opts: DiagnoseOptions) => (await import('./diagnose.js')).diagnose(target, opts)));

program.addOption(new Option('--debug', 'print stack traces').hideHelp());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // help and version are not errors; everything else commander rejects is
    // bad input, and it has already said why on stderr.
    process.exitCode = err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  } else {
    process.exitCode = report(err);
  }
}
