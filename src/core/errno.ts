// Linux errno numbers (x86-64 and every architecture netladder builds for
// share these) and their symbolic names.

const NAMES: Record<number, string> = {
  1: 'EPERM', 2: 'ENOENT', 3: 'ESRCH', 4: 'EINTR', 5: 'EIO', 6: 'ENXIO', 7: 'E2BIG',
  9: 'EBADF', 11: 'EAGAIN', 12: 'ENOMEM', 13: 'EACCES', 14: 'EFAULT', 16: 'EBUSY',
  17: 'EEXIST', 19: 'ENODEV', 22: 'EINVAL', 23: 'ENFILE', 24: 'EMFILE', 28: 'ENOSPC',
  32: 'EPIPE', 71: 'EPROTO', 88: 'ENOTSOCK', 89: 'EDESTADDRREQ', 90: 'EMSGSIZE',
  91: 'EPROTOTYPE', 92: 'ENOPROTOOPT', 93: 'EPROTONOSUPPORT', 95: 'EOPNOTSUPP',
  97: 'EAFNOSUPPORT', 98: 'EADDRINUSE', 99: 'EADDRNOTAVAIL', 100: 'ENETDOWN',
  101: 'ENETUNREACH', 102: 'ENETRESET', 103: 'ECONNABORTED', 104: 'ECONNRESET',
  105: 'ENOBUFS', 106: 'EISCONN', 107: 'ENOTCONN', 110: 'ETIMEDOUT', 111: 'ECONNREFUSED',
  112: 'EHOSTDOWN', 113: 'EHOSTUNREACH', 114: 'EALREADY', 115: 'EINPROGRESS',
  125: 'ECANCELED', 132: 'ERFKILL',
};

const NUMBERS: Record<string, number> = Object.fromEntries(
  Object.entries(NAMES).map(([n, name]) => [name, Number(n)]),
);

/** Symbolic name of a positive errno; unknown numbers keep their value. */
export function errnoName(n: number): string | null {
  if (n === 0) return null;
  return NAMES[n] ?? `E${n}`;
}

export function errnoNumber(name: string): number | undefined {
  return NUMBERS[name.toUpperCase()];
}

export function isKnownErrno(name: string): boolean {
  return errnoNumber(name) !== undefined;
}
