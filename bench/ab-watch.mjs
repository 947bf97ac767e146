#!/usr/bin/env node
// Two builds of netladder side by side on the refused-connect storm: runs
// alternate none / A / B, so drift of the machine hits all alike. Answers
// "what did this change cost a storm?" with the whole agent (kernel and JS).
//
// Usage: node bench/ab-watch.mjs --base DIR [--rounds 6] [--seconds 2]
// DIR is another checkout, built (npm ci && npm run build). Prints a table.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { closedPort, compile, here, median } from './lib.mjs';
const { values: opt } = parseArgs({
  options: {
    base: { type: 'string' },
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '2' },
  },
});
if (!opt.base) throw new Error('--base DIR: a built checkout to compare with');
const rounds = Number(opt.rounds);
const [storm] = compile('storm');
const port = await closedPort();

const run = () => {
  const [n, t] = execFileSync(storm, [String(port), opt.seconds], { encoding: 'utf8' }).trim().split(' ');
  return Number(n) / Number(t);
};

async function watched(root) {
  const p = spawn(process.execPath, [join(root, 'dist/cli/index.js'), 'watch', '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  while (!err.includes('watching')) {
    if (p.exitCode !== null) throw new Error(err);
    await new Promise((r) => setTimeout(r, 20));
  }
  const rate = run();
  p.kill('SIGINT');
  await once(p, 'exit');
  return rate;
}

const rows = { none: [], base: [], this: [] };
for (let i = 0; i < rounds; i++) {
  rows.none.push(run());
  rows.base.push(await watched(opt.base));
  rows.this.push(await watched(join(here, '..')));
  process.stderr.write(`round ${i + 1}: none ${rows.none.at(-1).toFixed(0)}/s, base ${rows.base.at(-1).toFixed(0)}/s, this ${rows.this.at(-1).toFixed(0)}/s\n`);
}
const ratio = (k) => median(rows[k].map((x, i) => x / rows.none[i]));
const thisOverBase = rows.this.map((x, i) => x / rows.base[i]);
console.log('| build | storm ratio (median) |');
console.log('|---|---|');
console.log(`| base (${opt.base}) | ${ratio('base').toFixed(3)} |`);
console.log(`| this checkout | ${ratio('this').toFixed(3)} |`);
console.log(`| this / base | ${median(thisOverBase).toFixed(3)} (${Math.min(...thisOverBase).toFixed(3)}–${Math.max(...thisOverBase).toFixed(3)}) |`);
console.log(`rate alone (median): ${median(rows.none).toFixed(0)}/s, ${rounds} rounds of ${opt.seconds} s`);
