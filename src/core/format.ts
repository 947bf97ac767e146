// Events as text: one JSON object per line, or one human line.
import { hostOf, type NetEvent } from './event.js';
import { printable } from './printable.js';

/** A string that may hold anything (comm, paths, host names), or null. */
function text(s: string | null): string {
  return s === null ? 'null' : JSON.stringify(s);
}

/** A string from a closed set that needs no escaping (names, numbers, ISO times), or null. */
function word(s: string | null): string {
  return s === null ? 'null' : `"${s}"`;
}

/** The same text as JSON.stringify(e) for every event toEvent builds, at a
 *  fraction of its cost: the shape is known, so only free text is escaped. */
export function jsonLine(e: NetEvent): string {
  let s =
    `{"time":"${e.time}","event":"${e.event}","errno":${word(e.errno)},"pid":${e.pid},"tid":${e.tid},` +
    `"comm":${text(e.comm)},"cgroup":${text(e.cgroup)},"family":${word(e.family)},"saddr":${word(e.saddr)},` +
    `"sport":${e.sport},"daddr":${word(e.daddr)},"dport":${e.dport},"seed":${word(e.seed)},"rung":"${e.rung}"`;
  switch (e.event) {
    case 'connect_error':
      s += `,"async":${e.async}`;
      break;
    case 'reset_sent':
      s += `,"reason":${text(e.reason)}`;
      break;
    case 'neighbour_failed':
      s += `,"dev":${text(e.dev)}`;
      break;
    case 'dns_error':
      s += `,"host":${text(e.host)}`;
      break;
    case 'tls_error':
      s += `,"host":${text(e.host)},"reason":${text(e.reason)}`;
      break;
  }
  return `${s}}`;
}

function endpoint(addr: string | null, port: number | null, family: string | null): string {
  if (!addr && !port) return '-';
  const a = addr ?? '*';
  const host = family === 'ipv6' ? `[${a}]` : a;
  return port ? `${host}:${port}` : host;
}

export interface Paint {
  red(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export const plain: Paint = { red: (s) => s, dim: (s) => s, bold: (s) => s };

export const ansi: Paint = {
  red: (s) => `\x1b[31m${s}\x1b[39m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
};

/** 12:00:01.234 connect_error ECONNREFUSED curl[812] 10.0.0.2:40312 -> 10.0.0.9:443 #021 application */
export function humanLine(e: NetEvent, paint: Paint = plain): string {
  const time = e.time.slice(11, 23);
  // comm, device and host names are chosen by whoever runs or asks: a
  // control character in one must not reach the terminal.
  const who = e.pid ? printable(`${e.comm}[${e.pid}]`) : '(no process)';
  const route = `${endpoint(e.saddr, e.sport, e.family)} -> ${endpoint(e.daddr, e.dport, e.family)}`;
  const extra: string[] = [];
  if (e.event === 'reset_sent' && e.reason) extra.push(`reason=${printable(e.reason)}`);
  if (e.event === 'neighbour_failed' && e.dev) extra.push(`dev=${printable(e.dev)}`);
  const host = hostOf(e);
  if (host) extra.push(`host=${printable(host)}`);
  const ladder = `${e.seed ?? '----'} ${e.rung}`;
  return [
    paint.dim(time),
    paint.bold(e.event.padEnd(16)),
    paint.red((e.errno ?? '-').padEnd(13)),
    who.padEnd(22),
    route,
    ...extra,
    paint.dim(ladder),
  ].join(' ');
}
