// How many more connections this process can hold. A connection is a
// descriptor, and when they run out accept() fails and every scrape with it;
// so the exporter keeps its connections below what is left, minus a reserve
// for everything else the agent opens while it runs (uprobes for containers
// found later, re-reading the web config, /proc).
import { readdirSync, readFileSync } from 'node:fs';

export const RESERVED_DESCRIPTORS = 128;

/** The soft "Max open files" of a /proc/PID/limits text; undefined when unlimited or absent. */
export function openFilesLimit(limits: string): number | undefined {
  const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(limits);
  return m && m[1] !== 'unlimited' ? Number(m[1]) : undefined;
}

/** Connections that fit beside the descriptors open now and the reserve. */
export function connectionRoom(limit: number | undefined, open: number, reserve = RESERVED_DESCRIPTORS): number {
  return limit === undefined ? Infinity : Math.max(1, limit - open - reserve);
}

/** For this process, now. */
export function connectionRoomNow(): number {
  return connectionRoom(openFilesLimit(readFileSync('/proc/self/limits', 'utf8')), readdirSync('/proc/self/fd').length);
}
