// Effects: the HTTP server. GET /metrics scrapes, GET / is the landing page,
// anything else is 404 (405 for methods other than GET and HEAD).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from './listen.js';

export interface Routes {
  metrics(): Promise<{ contentType: string; body: string }>;
  landing(): string;
}

export interface MetricsServer {
  /** the address actually bound (port 0 picks one) */
  address: ListenAddress;
  close(): Promise<void>;
}

function handler(routes: Routes): Parameters<typeof createServer>[1] {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(405, 'text/plain; charset=utf-8', 'method not allowed\n');
      return;
    }
    if (path === '/metrics') {
      routes.metrics().then(
        (m) => send(200, m.contentType, m.body),
        (err: unknown) => send(500, 'text/plain; charset=utf-8', `scrape failed: ${err instanceof Error ? err.message : String(err)}\n`),
      );
    } else if (path === '/') {
      send(200, 'text/html; charset=utf-8', routes.landing());
    } else {
      send(404, 'text/plain; charset=utf-8', 'not found; metrics are at /metrics\n');
    }
  };
}

export function listen(at: ListenAddress, routes: Routes): Promise<MetricsServer> {
  const server: Server = createServer(handler(routes));
  // Scrapes are short; don't let an idle keep-alive connection hold close().
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      resolve({
        address: { host: a.address, port: a.port },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
