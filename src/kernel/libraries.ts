// The files netladder's uprobes go on: the C library and libssl that the
// dynamic loader would give a program on this host, and the node binary
// (Node links its own OpenSSL statically). Missing ones are simply absent:
// their probes are skipped and `doctor` says so.
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { ldconfigArch, parseLdconfig } from '../core/ldconfig.js';

export const LIBRARIES = ['libc.so.6', 'libssl.so.3'] as const;

function ldconfigText(): string {
  for (const bin of ['/sbin/ldconfig', '/usr/sbin/ldconfig', 'ldconfig']) {
    try {
      return execFileSync(bin, ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      // try the next place
    }
  }
  return '';
}

/** soname (and "node") -> path of the file to attach to. */
export function findLibraries(): Record<string, string> {
  const out: Record<string, string> = {};
  const arch = ldconfigArch();
  if (arch) {
    for (const [soname, path] of parseLdconfig(ldconfigText(), LIBRARIES, arch)) {
      try {
        // A uprobe is set on the file itself: resolve symlinks.
        out[soname] = realpathSync(path);
      } catch {
        // listed in the cache but gone
      }
    }
  }
  const node = realpathSync(process.execPath);
  if (existsSync(node)) out.node = node;
  return out;
}
