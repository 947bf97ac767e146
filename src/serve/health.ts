// /healthz and /readyz, for orchestrators: cheap, and separate from /metrics
// so that a probe never costs a scrape.

export interface Readiness {
  programsAttached: number;
  /** the kernel's counters have been read once */
  synced: boolean;
}

/** 200 once programs are attached and the first reading is done, else 503
 *  with what is missing. */
export function readiness(r: Readiness): { status: 200 | 503; body: string } {
  const missing = [r.programsAttached > 0 ? '' : 'no programs attached', r.synced ? '' : 'counters not read yet'].filter(Boolean);
  return missing.length ? { status: 503, body: `not ready: ${missing.join(', ')}\n` } : { status: 200, body: 'ready\n' };
}
