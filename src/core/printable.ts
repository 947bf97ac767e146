// Text from processes and the network (command lines, comm, host names) may
// hold newlines or escape sequences: on a terminal they would break a line
// or a table, or drive the terminal. Control characters are shown as \xNN,
// so what a process called itself stays visible without taking effect.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\x00-\x1f\x7f-\x9f]/;

function visible(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

export function printable(s: string): string {
  // watch calls this for every line: most names need no change, and a test
  // costs less than a replace that finds nothing.
  return ANY_CONTROL.test(s) ? s.replace(CONTROL, visible) : s;
}

/** Cut to `width` characters, with an ellipsis when cut. */
export function clip(s: string, width: number): string {
  const p = printable(s);
  return p.length > width ? `${p.slice(0, Math.max(0, width - 1))}…` : p;
}
