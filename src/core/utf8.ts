// Names the kernel hands over (comm, a device, the host a process asked
// for) are bytes that nothing checked. They are read as UTF-8, as the
// processes that chose them meant (café, not cafÃ©); a byte that is not part
// of a well-formed sequence (a comm cut inside a character, a Latin-1 name)
// is written \xNN rather than U+FFFD, so what was there stays visible.

/** The range the second byte of a sequence led by `lead` must fall in, and
 *  how many bytes follow the lead; null when `lead` cannot start one
 *  (Unicode's table 3-7: no overlong forms, surrogates or code points past
 *  U+10FFFF). */
function sequence(lead: number): [lo: number, hi: number, follow: number] | null {
  if (lead >= 0xc2 && lead <= 0xdf) return [0x80, 0xbf, 1];
  if (lead === 0xe0) return [0xa0, 0xbf, 2];
  if (lead === 0xed) return [0x80, 0x9f, 2];
  if (lead >= 0xe1 && lead <= 0xef) return [0x80, 0xbf, 2];
  if (lead === 0xf0) return [0x90, 0xbf, 3];
  if (lead >= 0xf1 && lead <= 0xf3) return [0x80, 0xbf, 3];
  if (lead === 0xf4) return [0x80, 0x8f, 3];
  return null;
}

/** Bytes in the well-formed sequence at `i`, or 0. */
function wellFormed(bytes: Uint8Array, i: number, end: number): number {
  const s = sequence(bytes[i]!);
  if (!s) return 0;
  const [lo, hi, follow] = s;
  if (i + follow >= end) return 0;
  const second = bytes[i + 1]!;
  if (second < lo || second > hi) return 0;
  for (let k = 2; k <= follow; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  return follow + 1;
}

/** bytes[start, end) as text: UTF-8, each stray byte as \xNN. */
export function utf8Text(bytes: Buffer, start: number, end: number): string {
  let i = start;
  // Most names are ASCII: one pass to see that, and no other work.
  while (i < end && bytes[i]! < 0x80) i++;
  if (i === end) return bytes.toString('latin1', start, end);
  let out = '';
  let run = start;
  while (i < end) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const n = wellFormed(bytes, i, end);
    if (n) {
      i += n;
      continue;
    }
    out += `${bytes.toString('utf8', run, i)}\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
    run = ++i;
  }
  return out + bytes.toString('utf8', run, end);
}
