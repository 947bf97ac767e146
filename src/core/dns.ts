// DNS names and error codes as the kernel side reports them: the `err` of a
// dns_error record (see enum nl_dns_err in bpf/netladder.h) and the name,
// as text (getaddrinfo's argument) or in wire format (from a query).
import { DNS_CODES } from './layout.js';

/** getaddrinfo()'s return values in glibc (<netdb.h>), negated. */
const EAI: Record<number, string> = {
  1: 'EAI_BADFLAGS', 2: 'EAI_NONAME', 3: 'EAI_AGAIN', 4: 'EAI_FAIL', 5: 'EAI_NODATA',
  6: 'EAI_FAMILY', 7: 'EAI_SOCKTYPE', 8: 'EAI_SERVICE', 9: 'EAI_ADDRFAMILY', 10: 'EAI_MEMORY',
  11: 'EAI_SYSTEM', 12: 'EAI_OVERFLOW',
};

/** RCODEs of RFC 1035 and RFC 2136 (the four bits of the header). */
const RCODES: Record<number, string> = {
  1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 6: 'YXDOMAIN',
  7: 'YXRRSET', 8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE',
};

export const DNS_TIMEOUT = 'DNS_TIMEOUT';

/** The name for a dns_error's `err`: EAI_* for libc's resolver, the RCODE's
 *  name for an answer, DNS_TIMEOUT for a query nobody answered. */
export function dnsErrorName(err: number): string | null {
  if (err === 0) return null;
  if (err === DNS_CODES.timeout) return DNS_TIMEOUT;
  if (err > DNS_CODES.rcode_base && err < DNS_CODES.rcode_base + 16) {
    const rcode = err - DNS_CODES.rcode_base;
    return RCODES[rcode] ?? `RCODE${rcode}`;
  }
  return EAI[err] ?? `EAI_${err}`;
}

const NAMES = new Set([...Object.values(EAI), ...Object.values(RCODES), DNS_TIMEOUT]);

export function isDnsErrorName(name: string): boolean {
  return NAMES.has(name.toUpperCase());
}

/** Characters that may stand in a name as they are; anything else is
 *  written \DDD, as dig and RFC 4343 do, so a hostile name cannot smuggle
 *  control characters into a terminal or a log. */
function plain(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f;
}

/** A DNS name in wire format (length-prefixed labels, ending with an empty
 *  one) -> "www.example.com"; "." for the root; null when the bytes are not
 *  a name (a compression pointer, a label running past `size`). */
export function decodeDnsName(bytes: Uint8Array, at: number, size: number): string | null {
  const end = at + size;
  const labels: string[] = [];
  let i = at;
  while (i < end) {
    const len = bytes[i]!;
    if (len === 0) return labels.length ? labels.join('.') : '.';
    if (len > 63 || i + 1 + len > end) return null;
    let label = '';
    for (let j = i + 1; j <= i + len; j++) {
      const c = bytes[j]!;
      label += plain(c) ? String.fromCharCode(c) : c === 0x2e ? '\\.' : `\\${String(c).padStart(3, '0')}`;
    }
    labels.push(label);
    i += 1 + len;
  }
  return null;
}
