// The files netladder's uprobes go on. Which files those are is the addon's
// uprobe table (native/src/uprobes.cc); this finds them: a soname as the
// dynamic loader would give it to a program on this host, and the two files
// no loader cache lists, musl's C library (Alpine containers, musl-gcc
// programs) and the node binary (Node links its own OpenSSL statically).
// Missing ones are simply absent: their probes are skipped and `doctor`
// says so.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { ldconfigArch, parseLdconfig } from '../core/ldconfig.js';
import { libraryKey, mappedFiles, MUSL_LOADERS } from '../core/proc-maps.js';
import { loadAddon } from './addon.js';

interface Finder {
  /** the host's file, or null */
  host(): string | null;
  /** base names it has in a process's maps */
  mapped: readonly string[];
}

/** Files of the table that are not sonames, and how each is found. */
const NOT_SONAMES: Record<string, Finder> = {
  musl: {
    // musl's dynamic loader is its C library; it is not in ld.so.cache.
    host() {
      for (const loader of MUSL_LOADERS) {
        try {
          return realpathSync(`/lib/${loader}`);
        } catch {
          // not this architecture, or no musl here
        }
      }
      return null;
    },
    mapped: [...MUSL_LOADERS, 'libc.so'],
  },
  node: {
    host() {
      const node = realpathSync(process.execPath);
      return existsSync(node) ? node : null;
    },
    mapped: ['node'],
  },
};

/** Every file the addon's uprobe table names, split by how it is found. */
function tableFiles(): { sonames: string[]; others: string[] } {
  const files = [...new Set(loadAddon().uprobes().flatMap((u) => u.files))];
  return { sonames: files.filter((f) => !(f in NOT_SONAMES)), others: files.filter((f) => f in NOT_SONAMES) };
}

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

/** File of the uprobe table -> path of the host's file to attach to. */
export function findLibraries(): Record<string, string> {
  const out: Record<string, string> = {};
  const { sonames, others } = tableFiles();
  const arch = ldconfigArch();
  if (arch) {
    for (const [soname, path] of parseLdconfig(ldconfigText(), sonames, arch)) {
      try {
        // A uprobe is set on the file itself: resolve symlinks.
        out[soname] = realpathSync(path);
      } catch {
        // listed in the cache but gone
      }
    }
  }
  for (const name of others) {
    const path = NOT_SONAMES[name]!.host();
    if (path) out[name] = path;
  }
  return out;
}

/** Files the uprobes should also go on: name -> paths. */
export type Libraries = Record<string, string[]>;

function fileKey(path: string): string | null {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

/**
 * Processes in other mount namespaces (containers) may map their own libc,
 * libssl or node, which the host's uprobes do not cover: a uprobe belongs
 * to one file. This finds those files through /proc/<pid>/root, as the
 * process sees them, once per distinct file (device and inode).
 */
export class ContainerLibraries {
  private readonly seen = new Set<string>();
  private readonly ownMnt = mountNamespace('self');

  /** `known`: files already probed (the host's). */
  constructor(known: Record<string, string>) {
    for (const path of Object.values(known)) {
      const k = fileKey(path);
      if (k) this.seen.add(k);
    }
  }

  /** Files not seen before, mapped by processes of other mount namespaces. */
  scan(): Libraries {
    const out: Libraries = {};
    const { sonames, others } = tableFiles();
    const names = [...sonames, ...others.flatMap((f) => NOT_SONAMES[f]!.mapped)];
    let pids: string[] = [];
    try {
      pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
    } catch {
      return out;
    }
    for (const pid of pids) {
      const mnt = mountNamespace(pid);
      if (!mnt || mnt === this.ownMnt) continue;
      let maps: string;
      try {
        maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
      } catch {
        continue; // gone
      }
      for (const path of mappedFiles(maps, names)) {
        const inside = `/proc/${pid}/root${path}`;
        const k = fileKey(inside);
        if (!k || this.seen.has(k)) continue;
        this.seen.add(k);
        (out[libraryKey(path)] ??= []).push(inside);
      }
    }
    return out;
  }
}

function mountNamespace(pid: string): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return null;
  }
}

/** Everything to probe at start: the host's files, then containers' own;
 *  the scanner remembers them, so a later scan finds only new files. */
export function startingLibraries(): { libraries: Libraries; containers: ContainerLibraries } {
  const host = findLibraries();
  const containers = new ContainerLibraries(host);
  const libraries: Libraries = {};
  for (const [name, path] of Object.entries(host)) libraries[name] = [path];
  for (const [name, paths] of Object.entries(containers.scan())) (libraries[name] ??= []).push(...paths);
  return { libraries, containers };
}
