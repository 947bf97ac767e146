// A real Prometheus (Debian's package) on a free loopback port, scraping one
// target every second, with its config and storage in a temporary directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from './ports.js';
import { until } from './wait.js';

export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';

export type Sample = [number, string];
interface VectorResult {
  metric: Record<string, string>;
  value: Sample;
}
interface MatrixResult {
  metric: Record<string, string>;
  values: Sample[];
}

/** How Prometheus reaches a target that serves HTTPS, basic auth or both. */
export interface ScrapeAuth {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  username?: string;
  password?: string;
}

function scrapeAuthLines(a: ScrapeAuth): string[] {
  const lines: string[] = [];
  if (a.caFile) {
    lines.push('    scheme: https', '    tls_config:', `      ca_file: ${a.caFile}`);
    if (a.certFile) lines.push(`      cert_file: ${a.certFile}`, `      key_file: ${a.keyFile}`);
  }
  if (a.username !== undefined) lines.push('    basic_auth:', `      username: ${a.username}`, `      password: ${a.password ?? ''}`);
  return lines;
}

export class Prometheus {
  private proc: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'netladder-prom-'));
  private port = 0;
  log = '';

  async start(target: string, auth: ScrapeAuth = {}): Promise<void> {
    this.port = await closedPort();
    const config = join(this.dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: netladder',
        ...scrapeAuthLines(auth),
        '    static_configs:',
        `      - targets: ['${target}']`,
        '',
      ].join('\n'),
    );
    this.proc = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(this.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${this.port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.proc.stderr!.on('data', (d: Buffer) => (this.log += d.toString()));
    await until(
      'Prometheus to be ready',
      async () => {
        if (this.proc?.exitCode !== null) throw new Error(`prometheus exited: ${this.log}`);
        const r = await fetch(`http://127.0.0.1:${this.port}/-/ready`);
        return r.ok ? true : undefined;
      },
      30_000,
    );
  }

  private async api<T>(query: string, time?: number): Promise<T[]> {
    const params = new URLSearchParams({ query });
    if (time !== undefined) params.set('time', (time / 1000).toFixed(3));
    const r = await fetch(`http://127.0.0.1:${this.port}/api/v1/query?${params}`);
    const body = (await r.json()) as { status: string; error?: string; data: { result: T[] } };
    if (body.status !== 'success') throw new Error(`query ${query}: ${body.error}`);
    return body.data.result;
  }

  /** An instant query; `time` in Unix ms. */
  vector(query: string, time?: number): Promise<VectorResult[]> {
    return this.api<VectorResult>(query, time);
  }

  /** A range-vector selector: the raw samples, timestamps in Unix seconds. */
  matrix(query: string): Promise<MatrixResult[]> {
    return this.api<MatrixResult>(query);
  }

  /** Health of the scrape target, as Prometheus sees it. */
  async targetHealth(): Promise<string | undefined> {
    const r = await fetch(`http://127.0.0.1:${this.port}/api/v1/targets`);
    const body = (await r.json()) as { data: { activeTargets: { health: string; lastError: string }[] } };
    const t = body.data.activeTargets[0];
    return t ? `${t.health}${t.lastError ? ` (${t.lastError})` : ''}` : undefined;
  }

  async stop(): Promise<void> {
    if (this.proc && this.proc.exitCode === null) {
      const exited = once(this.proc, 'exit');
      this.proc.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
