import type { Logger } from '../logger';
import type { DrainState } from './drain';
import type { TAnyServer, TAnySocket, TRealtimeInstrumentation } from './realtime-instrumentation';

/** Payload of the `server:draining` event sent to every client of an instance that is stopping. */
export interface TServerDraining {
  /** The server closes this client's connection after this delay; the client reconnects (elsewhere). */
  reconnectInMs: number;
}

export interface TDrainOptions {
  io: TAnyServer;
  drain: DrainState;
  instrumentation: TRealtimeInstrumentation;
  logger: Logger;
  /** Clients are moved at uniformly random moments within this window (spreads the reconnect wave). */
  spreadMs: number;
  /** How long to wait for a socket's outstanding acks before closing it anyway. */
  ackTimeoutMs?: number;
  random?: () => number;
}

export interface TDrainReport {
  moved: number;
  acksAbandoned: number;
  durationMs: number;
}

/**
 * Moves every client off this instance without losing an acknowledged message:
 * 1. `drain.begin()` has already made readiness false and the HTTP gate refuses new sessions;
 * 2. each client gets `server:draining { reconnectInMs }` with its own random delay;
 * 3. at that moment, once the socket owes no ack, its transport is closed — to the client this is a
 *    transport loss, so Socket.IO reconnects (through the proxy, to a serving instance) and the
 *    realtime module's resume (room seq) fills whatever it missed in between.
 */
export async function drainRealtimeClients({
  io,
  drain,
  instrumentation,
  logger,
  spreadMs,
  ackTimeoutMs = 5000,
  random = Math.random,
}: TDrainOptions): Promise<TDrainReport> {
  const log = logger.child({ module: 'drain' });
  const started = Date.now();
  if (drain.isServing) drain.begin('drain requested');
  let acksAbandoned = 0;
  const moved = new Set<string>();

  const move = async (socket: TAnySocket, delayMs: number) => {
    socket.emit('server:draining', { reconnectInMs: delayMs } satisfies TServerDraining);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (socket.disconnected) return;
    const clean = await instrumentation.waitForAcks(ackTimeoutMs, socket);
    if (!clean) acksAbandoned += instrumentation.inflightAcks(socket);
    moved.add(socket.id);
    // Closing the Engine.IO connection (not `socket.disconnect()`) reads as a network loss to the
    // client, which then reconnects by itself; a polling transport flushes its buffer first.
    socket.conn.close();
  };

  const sockets = [...io.of('/').sockets.values()];
  log.info({ sockets: sockets.length, spreadMs }, 'draining: moving clients to other instances');
  await Promise.all(sockets.map((socket) => move(socket, Math.floor(random() * spreadMs))));
  // Sessions that were mid-handshake when draining began.
  const late = [...io.of('/').sockets.values()];
  await Promise.all(late.map((socket) => move(socket, 0)));
  const report = { moved: moved.size, acksAbandoned, durationMs: Date.now() - started };
  log.info(report, 'draining: all clients moved');
  return report;
}
