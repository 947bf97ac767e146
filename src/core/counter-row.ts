import type { EventName } from './event.js';

/** One row of the kernel's counters: the exact count of failures of one
 *  (pid, event, errno) since the capture started. */
export interface CounterRow {
  pid: number;
  event: EventName;
  errno: string | null;
  count: number;
}
