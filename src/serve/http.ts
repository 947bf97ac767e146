// Effects: the HTTP(S) server. GET /metrics scrapes, GET / is the landing
// page, /healthz and /readyz answer probes, anything else is 404 (405 for
// methods other than GET and HEAD). With a web config: TLS and basic auth.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { BasicAuth } from './basic-auth.js';
import { Connections } from './connections.js';
import type { ListenAddress } from './listen.js';
import { peerAllowed } from './web-config.js';
import type { WebConfigFile } from './web-config-file.js';

export interface Routes {
  metrics(): Promise<{ contentType: string; body: string }>;
  landing(): string;
  ready(): { status: number; body: string };
}

export interface ServerLimits {
  /** connections held at once; at the cap the quietest is closed */
  maxConnections: number;
}

export interface MetricsServer {
  /** the address actually bound (port 0 picks one) */
  address: ListenAddress;
  connections: Connections;
  close(): Promise<void>;
}

// Idle time allowed, so that a client that connects and says nothing, or
// says it slowly, lets go of its descriptor soon. A scrape sends its request
// at once and is answered in milliseconds.
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
const IDLE_SOCKET_MS = 60_000;
const TIMEOUT_CHECK_MS = 1_000;

const TEXT = 'text/plain; charset=utf-8';

function handler(routes: Routes, web: WebConfigFile | undefined, connections: Connections) {
  const auth = new BasicAuth();
  return (req: IncomingMessage, res: ServerResponse): void => {
    connections.began(req.socket);
    res.once('close', () => connections.ended(req.socket));
    web?.refresh();
    const config = web?.current.config;
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { ...config?.headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(405, TEXT, 'method not allowed\n');
      return;
    }
    // Probes say only alive or ready, and orchestrators probe without
    // credentials: they are open; everything else needs the password.
    if (path === '/healthz') return send(200, TEXT, 'ok\n');
    if (path === '/readyz') {
      const r = routes.ready();
      return send(r.status, TEXT, r.body);
    }
    const route = (): void => {
      if (path === '/metrics') {
        routes.metrics().then(
          (m) => send(200, m.contentType, m.body),
          (err: unknown) => send(500, TEXT, `scrape failed: ${err instanceof Error ? err.message : String(err)}\n`),
        );
      } else if (path === '/') {
        send(200, 'text/html; charset=utf-8', routes.landing());
      } else {
        send(404, TEXT, 'not found; metrics are at /metrics\n');
      }
    };
    if (!config || config.users.size === 0) return route();
    auth.allows(config.users, req.headers.authorization).then(
      (ok) => {
        if (ok) return route();
        res.setHeader('WWW-Authenticate', 'Basic realm="netladder"');
        send(401, TEXT, 'unauthorized\n');
      },
      () => send(500, TEXT, 'authentication failed\n'),
    );
  };
}

async function createServer(routes: Routes, web: WebConfigFile | undefined, connections: Connections): Promise<Server> {
  const handle = handler(routes, web, connections);
  const tls = web?.current.tls;
  // Timeouts are enforced at each check: the default 30 s check would let
  // a silent client keep its descriptor up to 30 s past them.
  const options = { connectionsCheckingInterval: TIMEOUT_CHECK_MS };
  if (!tls) return createHttpServer(options, handle);
  // Loaded only for TLS: node:https and node:tls cost the agent 2 MB.
  const { createServer: createHttpsServer } = await import('node:https');
  const server = createHttpsServer({ ...options, ...tls }, handle);
  // Before the TLS layer takes the connection: a changed file is read now,
  // so new certificates and policies hold from this handshake on.
  server.prependListener('connection', () => {
    if (web.refresh() && web.current.tls) server.setSecureContext(web.current.tls);
  });
  server.on('secureConnection', (s: TLSSocket) => {
    const clientAuth = web.current.config.tls?.clientAuth ?? 'NoClientCert';
    const presented = Object.keys(s.getPeerCertificate() ?? {}).length > 0;
    if (!peerAllowed(clientAuth, presented, s.authorized)) s.destroy();
  });
  return server;
}

export async function listen(at: ListenAddress, routes: Routes, limits: ServerLimits, web?: WebConfigFile): Promise<MetricsServer> {
  const connections = new Connections(limits.maxConnections);
  const server = await createServer(routes, web, connections);
  server.prependListener('connection', (s: Socket) => connections.admit(s));
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  // Scrapes are short; don't let an idle keep-alive connection hold close().
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.timeout = IDLE_SOCKET_MS;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      resolve({
        address: { host: a.address, port: a.port },
        connections,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
