// stdout and stderr as a long-running command meets them: a reader that went
// away (| head), a full disk, a reader that stopped reading. None of these
// may crash netladder, nor keep it alive once its work is done and its
// programs are detached.
import { EXIT } from './exit.js';

/** A closed pipe ends a command as Ctrl-C does; other write errors are failures. */
export function exitCodeFor(err: NodeJS.ErrnoException): number {
  return err.code === 'EPIPE' ? EXIT.OK : EXIT.FAILED;
}

export function guardStreams(): void {
  // With stderr gone there is nowhere to say anything: monitoring goes on,
  // and every later message is dropped (Node emits an error per write).
  process.stderr.on('error', () => {});
  // Commands that hold the kernel (watch) add their own listener and detach
  // first; the rest just stop.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (process.stdout.listenerCount('error') > 1) return;
    const code = exitCodeFor(err);
    if (code !== EXIT.OK) process.stderr.write(`netladder: cannot write the output: ${err.message}\n`);
    process.exit(code === EXIT.OK && typeof process.exitCode === 'number' ? process.exitCode : code);
  });
}

/** Called once a command returned: output still queued for a reader that
 *  does not read would keep the process alive for ever, so it is dropped
 *  (watch has counted it in its summary by then). */
export function leave(): void {
  if (process.stdout.writableLength > 0 || process.stderr.writableLength > 0) {
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK);
  }
}
