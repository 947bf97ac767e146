// Unix milliseconds -> "2026-11-23T06:35:02.190Z", fast: events arrive in
// bursts within the same second, so the date part is formatted once per
// second and only the milliseconds change. (Date#toISOString per event was
// a fifth of the cost of a watched storm.)
export class IsoTime {
  private second = Number.NaN;
  private prefix = '';

  format(unixMs: number): string {
    const second = Math.floor(unixMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.prefix = new Date(second * 1000).toISOString().slice(0, 20);
    }
    const ms = Math.floor(unixMs) - second * 1000;
    return `${this.prefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  }
}
