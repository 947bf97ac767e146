// The dashboard and alert rules shipped in deploy/monitoring: they parse,
// the alerts fire as their own promtool tests say, and they name only
// metrics that serve exports.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../../src/agent/aggregator.js';
import { Exporter } from '../../src/serve/exporter.js';

const dir = join(__dirname, '../../deploy/monitoring');
const promtool = (...args: string[]) => execFileSync('promtool', args, { cwd: dir, encoding: 'utf8', stdio: 'pipe' });

interface Panel {
  title: string;
  targets: { expr: string }[];
}
const dashboard = JSON.parse(readFileSync(join(dir, 'grafana-dashboard.json'), 'utf8')) as { panels: Panel[] };
const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));
const alertsText = readFileSync(join(dir, 'alerts.yaml'), 'utf8');

/** Grafana's variables replaced by what they stand for at "All". */
function concrete(expr: string): string {
  return expr.replaceAll('$__rate_interval', '5m').replaceAll('$__range', '6h').replace(/\$[a-z]+/g, '.*');
}

async function exportedNames(): Promise<Set<string>> {
  const agg = new Aggregator({ clock: () => 0, describe: () => null });
  const exporter = new Exporter(
    { aggregator: agg, sync: () => {}, losses: () => ({ ringbufFull: 0, rateLimited: 0, counterFull: 0, dnsPendingFull: 0 }), timeWait: () => 1 },
    { version: '1', processMetrics: true },
  );
  const text = await exporter.metrics();
  return new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
}

describe('deploy/monitoring', () => {
  it('alerts.yaml is valid and its promtool tests pass', () => {
    expect(promtool('check', 'rules', 'alerts.yaml')).toMatch(/SUCCESS: \d+ rules found/);
    expect(promtool('test', 'rules', 'alerts.test.yaml')).toMatch(/SUCCESS/);
  });

  it('every dashboard query is valid PromQL', () => {
    expect(exprs.length).toBeGreaterThan(10);
    const tmp = mkdtempSync(join(tmpdir(), 'nlt-dash-'));
    try {
      const rules = exprs.map((e, i) => `      - record: dashboard_query_${i}\n        expr: ${JSON.stringify(concrete(e.expr))}`);
      writeFileSync(join(tmp, 'q.yaml'), `groups:\n  - name: dashboard\n    rules:\n${rules.join('\n')}\n`);
      expect(execFileSync('promtool', ['check', 'rules', join(tmp, 'q.yaml')], { encoding: 'utf8' })).toMatch(
        new RegExp(`SUCCESS: ${exprs.length} rules found`),
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('names only metrics that serve exports (or that Prometheus makes itself)', async () => {
    const exported = await exportedNames();
    const fromPrometheus = new Set(['up', 'scrape_duration_seconds']);
    const used = new Set(
      [...exprs.map((e) => e.expr), alertsText].flatMap((t) => [...t.matchAll(/\b([a-z_]+)(?=\{|\[| *[)>=!<]| *$)/gm)].map((m) => m[1]!)),
    );
    const metrics = [...used].filter((n) => /^(netladder|process|nodejs)_/.test(n) || fromPrometheus.has(n));
    expect(metrics.length).toBeGreaterThan(8);
    expect(metrics.filter((n) => !exported.has(n) && !fromPrometheus.has(n))).toEqual([]);
  });
});
