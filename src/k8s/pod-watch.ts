// The pods of this node, kept current by a list and then a watch of the API
// server (fieldSelector spec.nodeName, so the node sees only its own pods),
// as kubelet-scale clients do: resume from the last resourceVersion, list
// again when the server says it has forgotten it (410 Gone), back off after
// errors. Its health is what the exporter reports: errors and staleness.
import { request } from 'node:https';
import type { ApiAccess } from './in-cluster.js';
import { podInfo, type PodInfo, type PodObject } from './pod.js';

export interface PodWatchOptions {
  node: string;
  /** a deleted pod stays known this long: its processes may still fail */
  keepDeletedMs?: number;
  clock?: () => number;
  /** the first back-off after an error; it doubles up to 30 s */
  backoffMs?: number;
  /** how long the server holds one watch open before it ends it */
  watchSeconds?: number;
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: PodObject & { code?: number; message?: string };
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BACKOFF_MS = 30_000;

export class PodWatch {
  private readonly pods = new Map<string, PodInfo>();
  private readonly deletedAt = new Map<string, number>();
  private resourceVersion = '';
  private stopped = false;
  private current: { destroy(): void } | null = null;
  private wake: (() => void) | null = null;
  /** errors talking to the API server since start, by kind */
  readonly errors = new Map<string, number>();
  /** when the cache was last known current (a list, an event or a bookmark); 0 never */
  lastSyncMs = 0;
  private readonly clock: () => number;

  constructor(
    private readonly api: ApiAccess,
    private readonly opts: PodWatchOptions,
  ) {
    this.clock = opts.clock ?? Date.now;
  }

  /** The pod a cgroup named, with the container's name when known. */
  lookup(podUid: string, containerId: string | null): { pod: PodInfo; container: string | null } | null {
    const pod = this.pods.get(podUid);
    if (!pod) return null;
    return { pod, container: containerId ? (pod.containers.get(containerId) ?? null) : null };
  }

  get size(): number {
    return this.pods.size;
  }

  /** Runs until stop(): list, watch, repeat. Never throws. */
  async run(): Promise<void> {
    let backoff = this.opts.backoffMs ?? 1000;
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.list();
        await this.watch();
        backoff = this.opts.backoffMs ?? 1000;
      } catch (e) {
        if (this.stopped) break;
        const gone = e instanceof ApiError && e.status === 410;
        this.countError(gone ? 'expired' : e instanceof ApiError ? `http_${e.status}` : 'connection');
        if (gone) {
          this.resourceVersion = '';
          continue;
        }
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.current?.destroy();
    this.wake?.();
  }

  private countError(kind: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private path(extra: Record<string, string>): string {
    const q = new URLSearchParams({ fieldSelector: `spec.nodeName=${this.opts.node}`, ...extra });
    return `/api/v1/pods?${q}`;
  }

  private async list(): Promise<void> {
    const body = await this.get(this.path({ limit: '500' }), 'text');
    const list = JSON.parse(body) as { metadata?: { resourceVersion?: string; continue?: string }; items?: PodObject[] };
    let items = list.items ?? [];
    let cont = list.metadata?.continue;
    while (cont) {
      const next = JSON.parse(await this.get(this.path({ limit: '500', continue: cont }), 'text')) as typeof list;
      items = items.concat(next.items ?? []);
      cont = next.metadata?.continue;
    }
    const seen = new Set<string>();
    for (const item of items) {
      const info = podInfo(item);
      if (!info) continue;
      seen.add(info.uid);
      this.pods.set(info.uid, info);
      this.deletedAt.delete(info.uid);
    }
    const now = this.clock();
    for (const uid of this.pods.keys()) if (!seen.has(uid) && !this.deletedAt.has(uid)) this.deletedAt.set(uid, now);
    this.resourceVersion = list.metadata?.resourceVersion ?? '';
    this.lastSyncMs = now;
    this.forgetDeleted(now);
  }

  private async watch(): Promise<void> {
    const path = this.path({
      watch: '1',
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(this.opts.watchSeconds ?? 300),
    });
    await this.get(path, 'lines', (line) => this.apply(JSON.parse(line) as WatchEvent));
  }

  private apply(ev: WatchEvent): void {
    const now = this.clock();
    if (ev.type === 'ERROR') {
      throw new ApiError(ev.object.code ?? 500, ev.object.message ?? 'watch error');
    }
    const rv = ev.object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    this.lastSyncMs = now;
    if (ev.type === 'BOOKMARK') return;
    const info = podInfo(ev.object);
    if (!info) return;
    if (ev.type === 'DELETED') {
      this.pods.set(info.uid, info);
      this.deletedAt.set(info.uid, now);
    } else {
      this.pods.set(info.uid, info);
      this.deletedAt.delete(info.uid);
    }
    this.forgetDeleted(now);
  }

  private forgetDeleted(now: number): void {
    const keep = this.opts.keepDeletedMs ?? 300_000;
    for (const [uid, at] of this.deletedAt) {
      if (now - at < keep) continue;
      this.pods.delete(uid);
      this.deletedAt.delete(uid);
    }
  }

  /** One GET: the whole body as text, or each line handed to `onLine`
   *  as it arrives (a watch). A status other than 200 is an ApiError. */
  private get(path: string, mode: 'text' | 'lines', onLine?: (line: string) => void): Promise<string> {
    return new Promise((resolve, reject) => {
      const url = new URL(path, this.api.server);
      const req = request(
        url,
        { ca: this.api.ca, headers: { Authorization: `Bearer ${this.api.token()}`, Accept: 'application/json' }, timeout: 30_000 },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          if (res.statusCode !== 200) {
            res.on('data', (d: string) => (text.length < 4096 ? (text += d) : undefined));
            res.on('end', () => reject(new ApiError(res.statusCode ?? 0, `${res.statusCode} ${text.slice(0, 200)}`)));
            return;
          }
          res.on('data', (d: string) => {
            text += d;
            if (mode !== 'lines') return;
            let nl: number;
            while ((nl = text.indexOf('\n')) >= 0) {
              const line = text.slice(0, nl);
              text = text.slice(nl + 1);
              if (!line.trim()) continue;
              try {
                onLine!(line);
              } catch (e) {
                req.destroy();
                reject(e);
                return;
              }
            }
          });
          res.on('end', () => resolve(text));
          res.on('error', reject);
        },
      );
      // A watch is quiet between events, but the server sends a bookmark
      // about once a minute and ends the watch after watchSeconds: silence
      // longer than that is a dead connection.
      req.on('response', () => req.setTimeout(mode === 'lines' ? ((this.opts.watchSeconds ?? 300) + 90) * 1000 : 30_000));
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end();
      this.current = req;
    });
  }
}
