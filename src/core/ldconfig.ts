// Where the dynamic loader finds a shared library, from `ldconfig -p` (the
// text form of /etc/ld.so.cache): the first entry for our architecture wins,
// as it does for ld.so.

/** The tag ldconfig prints for libraries of this Node's architecture. */
export function ldconfigArch(arch: string = process.arch): string | null {
  switch (arch) {
    case 'x64':
      return 'x86-64';
    case 'arm64':
      return 'AArch64';
    default:
      return null;
  }
}

/** `\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6` lines ->
 *  soname -> path, for the wanted sonames and architecture. */
export function parseLdconfig(text: string, sonames: readonly string[], arch: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\S+)\s+\(([^)]*)\)\s+=>\s+(\S+)\s*$/.exec(line);
    if (!m) continue;
    const [, soname, tags, path] = m as unknown as [string, string, string, string];
    if (!sonames.includes(soname) || found.has(soname)) continue;
    if (!tags.split(',').map((t) => t.trim()).includes(arch)) continue;
    found.set(soname, path);
  }
  return found;
}
