// Which shared objects a process has mapped, from /proc/<pid>/maps:
// "7f..-7f.. r-xp 00000000 08:01 1234  /usr/lib/x86_64-linux-gnu/libc.so.6"

/** Paths of mapped files whose base name is one of `names`, as the process
 *  sees them (inside its own mount namespace). Deleted files are left out:
 *  their path leads nowhere. */
export function mappedFiles(maps: string, names: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const line of maps.split('\n')) {
    const m = /^\S+\s+\S+\s+\S+\s+\S+\s+\d+\s+(\/.*)$/.exec(line);
    if (!m) continue;
    const path = m[1]!.trimEnd();
    if (path.endsWith(' (deleted)')) continue;
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (names.includes(base)) found.add(path);
  }
  return found;
}

/** musl's C library is its dynamic loader, named after the architecture. */
export const MUSL_LOADERS = ['ld-musl-x86_64.so.1', 'ld-musl-aarch64.so.1'] as const;

/** The key a mapped library's uprobes are listed under: its base name, or
 *  "musl" for musl's C library (Alpine maps it as ld-musl-<arch>.so.1,
 *  Debian's musl package as .../<triplet>-musl/libc.so; glibc's libc.so is a
 *  linker script and never mapped). */
export function libraryKey(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if ((MUSL_LOADERS as readonly string[]).includes(base) || base === 'libc.so') return 'musl';
  return base;
}
