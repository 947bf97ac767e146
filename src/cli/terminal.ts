// Colour only on a terminal, never under NO_COLOR or TERM=dumb.
import { ansi, plain, type Paint } from '../core/format.js';

export function useColor(stream: NodeJS.WriteStream, requested: boolean): boolean {
  if (!requested) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function paintFor(stream: NodeJS.WriteStream, requested: boolean): Paint {
  return useColor(stream, requested) ? ansi : plain;
}

/** Resolves on the first SIGINT or SIGTERM; later ones are left to the
 *  default handler, so a second Ctrl-C still ends a stuck process. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
