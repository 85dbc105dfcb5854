import 'server-only';
import { subscribe } from 'node:diagnostics_channel';
import type { Server, ServerResponse } from 'node:http';
import { serverEnv } from '@/env';
import { webContext } from './context';
import { webObservability } from './observability';

/** Admin SSE clients come back after RETRY_BASE_MS plus a random share of DRAIN_SPREAD_MS. */
const RETRY_BASE_MS = 500;

const globalForLifecycle = globalThis as unknown as {
  conveneShutdownHooks?: (() => Promise<void>)[];
};

/** Work the SIGTERM drain awaits after the last request finished (e.g. the webhook worker's stop). */
export function onWebShutdown(hook: () => Promise<void>): void {
  globalForLifecycle.conveneShutdownHooks ??= [];
  globalForLifecycle.conveneShutdownHooks.push(hook);
}

/**
 * SIGTERM drains the web instance and exits 0 within SHUTDOWN_TIMEOUT_SECONDS:
 * 1. `/api/ready` → 503 and `convene_draining` 1;
 * 2. every admin SSE stream gets `retry: <jittered ms>` and ends, so EventSource reconnects —
 *    through the proxy, to another instance — and resumes from Last-Event-ID;
 * 3. the listener closes (no new connections) and the requests in flight finish;
 * 4. the shutdown hooks run (the webhook worker finishes its attempts), then the process exits.
 *
 * Next.js's own SIGTERM handler is replaced: it waits for every connection to end, so an open SSE
 * stream would hold it until the orchestrator's SIGKILL, and it exits 143 instead of 0. The HTTP
 * server is not reachable from inside Next.js; Node's `http.server.request.start` diagnostics
 * channel yields it and every request, which is how in-flight requests are counted here.
 */
export function installWebLifecycle(): void {
  const ops = webObservability();
  const env = serverEnv();
  const log = webContext().logger.child({ module: 'lifecycle' });
  let server: Server | undefined;
  const inFlight = new Set<ServerResponse>();
  subscribe('http.server.request.start', (message) => {
    const { server: from, response } = message as { server: Server; response: ServerResponse };
    server ??= from;
    inFlight.add(response);
    response.once('close', () => {
      inFlight.delete(response);
      // Draining: a keep-alive connection whose last response just ended (an SSE stream, a
      // request in flight) must not carry another request; Node's close() only shut the idle ones.
      // (Next tick: Node marks the connection idle after the response's close event.)
      if (!ops.drain.isServing) setImmediate(() => server?.closeIdleConnections());
    });
  });

  for (const listener of process.listeners('SIGTERM')) process.removeListener('SIGTERM', listener);
  process.once('SIGTERM', () => {
    const started = Date.now();
    const forceExit = setTimeout(() => {
      log.error(
        { inFlight: inFlight.size, timeoutSeconds: env.SHUTDOWN_TIMEOUT_SECONDS },
        'shutdown timed out with requests in flight',
      );
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    forceExit.unref();
    ops.drain.begin('SIGTERM');
    // Stops accepting and closes idle keep-alive connections; open requests carry on.
    server?.close();
    const streams = ops.sse.closeAll(() => RETRY_BASE_MS + Math.floor(Math.random() * env.DRAIN_SPREAD_MS));
    log.info({ streams, inFlight: inFlight.size }, 'SIGTERM: draining');
    void (async () => {
      while (inFlight.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      server?.closeAllConnections();
      const hooks = globalForLifecycle.conveneShutdownHooks ?? [];
      const results = await Promise.allSettled(hooks.map((hook) => hook()));
      for (const r of results)
        if (r.status === 'rejected') log.warn({ err: r.reason }, 'shutdown hook failed');
      ops.drain.stop();
      log.info({ ms: Date.now() - started }, 'web server drained');
      process.exit(0);
    })();
  });
}
