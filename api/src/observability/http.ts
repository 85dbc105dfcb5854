import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Registry } from 'prom-client';
import type { DrainState } from './drain';
import type { TReadinessChecker } from './readiness';

export interface TOpsRoutes {
  registry: Registry;
  readiness: TReadinessChecker;
  /** When set, `/metrics` wants `Authorization: Bearer <token>`. */
  metricsToken?: string;
}

/** Answers `/healthz`, `/readyz` and `/metrics`; returns false for any other path. */
export async function handleOpsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  { registry, readiness, metricsToken }: TOpsRoutes,
): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end('{"status":"ok"}');
    return true;
  }
  if (path === '/readyz') {
    const result = await readiness.evaluate();
    res.writeHead(result.ready ? 200 : 503, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
    });
    res.end(JSON.stringify(result));
    return true;
  }
  if (path === '/metrics') {
    if (metricsToken && req.headers.authorization !== `Bearer ${metricsToken}`) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      return true;
    }
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
    res.end(body);
    return true;
  }
  return false;
}

const SOCKET_IO_PATH = '/socket.io/';

/** A new Socket.IO session is a request to the Socket.IO path without a `sid` query parameter. */
export function isNewRealtimeSession(url: string | undefined): boolean {
  if (!url?.startsWith(SOCKET_IO_PATH)) return false;
  return !new URL(url, 'http://x').searchParams.has('sid');
}

/**
 * Puts the ops routes and the drain gate in front of every listener already attached to the HTTP
 * server (Engine.IO attaches its own). While draining, a new Socket.IO session gets
 * `503 + Retry-After` so a proxy (`proxy_next_upstream http_503`) or the client's backoff picks
 * another instance, while requests of existing sessions (long-polling GET/POST, upgrades) still
 * reach this one until it has moved them.
 */
export function installOpsRoutes(httpServer: HttpServer, routes: TOpsRoutes & { drain: DrainState }): void {
  const requestListeners = httpServer.listeners('request') as ((...args: unknown[]) => void)[];
  httpServer.removeAllListeners('request');
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handleOpsRequest(req, res, routes).then(
      (handled) => {
        if (handled) return;
        if (!routes.drain.isServing && isNewRealtimeSession(req.url)) {
          res.writeHead(503, { 'retry-after': '1', 'content-type': 'application/json', connection: 'close' });
          res.end('{"code":"SERVER_DRAINING"}');
          return;
        }
        for (const listener of requestListeners) listener.call(httpServer, req, res);
      },
      (error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(error instanceof Error ? error.message : 'error');
      },
    );
  });

  const upgradeListeners = httpServer.listeners('upgrade') as ((...args: unknown[]) => void)[];
  httpServer.removeAllListeners('upgrade');
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!routes.drain.isServing && isNewRealtimeSession(req.url)) {
      socket.end(
        'HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    for (const listener of upgradeListeners) listener.call(httpServer, req, socket, head);
  });
}
