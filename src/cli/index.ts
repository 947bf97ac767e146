#!/usr/bin/env node
// netladder's command line: parse, call the core, print, exit.
import { Command, CommanderError, Option } from 'commander';
import { doctor } from './doctor.js';
import { EXIT, report } from './exit.js';
import { watch } from './watch.js';

function action<T extends unknown[]>(fn: (...args: T) => Promise<number>): (...args: T) => Promise<void> {
  return async (...args: T) => {
    try {
      process.exitCode = await fn(...args);
    } catch (err) {
      process.exitCode = report(err);
    }
  };
}

const program = new Command()
  .name('netladder')
  .description('See which processes are failing on the network, how, and which rung of the ladder to check next.')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program
  .command('watch')
  .description('stream each network failure as it happens, attributed to the process that owns the socket')
  .option('--json', 'one JSON object per line')
  .option('--pid <pid>', 'only this process')
  .option('--comm <name>', 'only processes with this command name')
  .option('--event <events>', 'only these events, comma-separated (connect_error, reset_received, ...)')
  .option('--errno <names>', 'only these errors, comma-separated (ECONNREFUSED, ETIMEDOUT, ...)')
  .option('--rate-limit <n>', 'at most n detail records per second per process, event and errno (0: no limit; counts stay exact)', '0')
  .option('--no-color', 'no colour even on a terminal')
  .addHelpText(
    'after',
    '\nNeeds root (or CAP_BPF and CAP_PERFMON). Messages go to stderr, events to stdout.\nExit codes: 0 stopped cleanly, 2 bad option, 3 not permitted or kernel lacks a feature.',
  )
  .action(action(watch));

program
  .command('doctor')
  .description('check what this kernel and this user can do, and what is missing')
  .option('--json', 'one JSON object')
  .addHelpText('after', '\nExit codes: 0 everything needed works, 3 something is missing.')
  .action(action(doctor));

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
