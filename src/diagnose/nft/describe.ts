// A rule of `nft -j list ruleset` back as a short line of text, for the
// verdict's detail ("ip daddr 10.0.0.2 tcp dport 80 drop").
type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function side(x: unknown): string {
  if (typeof x === 'string' || typeof x === 'number') return String(x);
  if (Array.isArray(x)) return `{ ${x.map(side).join(', ')} }`;
  if (!isObject(x)) return '?';
  if (isObject(x.payload)) return `${String(x.payload.protocol)} ${String(x.payload.field)}`;
  if (isObject(x.meta)) return `meta ${String(x.meta.key)}`;
  if (isObject(x.ct)) return `ct ${String(x.ct.key)}`;
  if (isObject(x.prefix)) return `${String(x.prefix.addr)}/${String(x.prefix.len)}`;
  if (Array.isArray(x.range)) return x.range.map(side).join('-');
  if (Array.isArray(x.set)) return `{ ${x.set.map(side).join(', ')} }`;
  return Object.keys(x)[0] ?? '?';
}

function statement(e: unknown): string | null {
  if (!isObject(e)) return null;
  if (isObject(e.match)) {
    const op = e.match.op === '==' || e.match.op === 'in' ? '' : `${String(e.match.op)} `;
    return `${side(e.match.left)} ${op}${side(e.match.right)}`;
  }
  if ('counter' in e || 'comment' in e) return null;
  if (isObject(e.xt)) return `${String(e.xt.type)} ${String(e.xt.name)}`;
  if (isObject(e.jump)) return `jump ${String(e.jump.target)}`;
  if (isObject(e.goto)) return `goto ${String(e.goto.target)}`;
  return Object.keys(e)[0] ?? null;
}

export function describeRule(expr: unknown[]): string {
  return expr
    .map(statement)
    .filter((s): s is string => s !== null)
    .join(' ');
}
