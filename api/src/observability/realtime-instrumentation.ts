import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Server, Socket } from 'socket.io';

// The observability layer works with whatever event contract the server is typed with.
// biome-ignore lint/suspicious/noExplicitAny: generic over every Socket.IO event map
export type TAnyServer = Server<any, any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: generic over every Socket.IO event map
export type TAnySocket = Socket<any, any, any, any>;

export interface TRealtimeInstrumentation {
  /** Acks this process owes clients right now (handlers still running). */
  inflightAcks(socket?: TAnySocket): number;
  /** Resolves when `socket` (or the whole process) owes no ack, or after `timeoutMs`. */
  waitForAcks(timeoutMs: number, socket?: TAnySocket): Promise<boolean>;
}

function outcomeOf(response: unknown): string {
  if (response && typeof response === 'object' && 'ok' in response) {
    if (response.ok === true) return 'ok';
    const error = (response as { error?: { code?: unknown } }).error;
    return typeof error?.code === 'string' ? error.code : 'error';
  }
  return 'ok';
}

export interface TInstrumentOptions {
  /** Which Socket.IO rooms are meeting rooms (counted by `convene_realtime_rooms`). */
  isMeetingRoom?: (name: string) => boolean;
}

/**
 * Counts connections, events and acks, and wraps every ack so a drain can wait until the
 * process has answered everything it accepted. Works as a socket middleware and an outgoing
 * listener: handlers written by the realtime module stay unaware of it.
 */
export function instrumentRealtime(
  io: TAnyServer,
  registry: Registry,
  options: TInstrumentOptions = {},
): TRealtimeInstrumentation {
  const isMeetingRoom = options.isMeetingRoom ?? (() => false);
  const connected = new Gauge({
    name: 'convene_realtime_connected_sockets',
    help: 'Socket.IO sockets connected to this instance',
    registers: [registry],
    collect() {
      this.set(io.of('/').sockets.size);
    },
  });
  void connected;
  const rooms = new Gauge({
    name: 'convene_realtime_rooms',
    help: 'Meeting rooms with at least one socket on this instance',
    registers: [registry],
    collect() {
      let count = 0;
      for (const name of io.of('/').adapter.rooms.keys()) if (isMeetingRoom(name)) count++;
      this.set(count);
    },
  });
  void rooms;
  const connections = new Counter({
    name: 'convene_realtime_connections_total',
    help: 'Socket.IO connections accepted, by initial transport',
    labelNames: ['transport'] as const,
    registers: [registry],
  });
  const disconnections = new Counter({
    name: 'convene_realtime_disconnections_total',
    help: 'Socket.IO disconnections, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const events = new Counter({
    name: 'convene_realtime_events_total',
    help: 'Client events received, by event name',
    labelNames: ['event'] as const,
    registers: [registry],
  });
  const eventsOut = new Counter({
    name: 'convene_realtime_events_out_total',
    help: 'Server events written to sockets of this instance (one per receiving socket), by event name',
    labelNames: ['event'] as const,
    registers: [registry],
  });
  // One child per event name: the outgoing path runs once per receiving socket, so no label hashing there.
  const eventsOutBy = new Map<string, { inc(): void }>();
  const countOut = (event: unknown) => {
    const name = typeof event === 'string' ? event : 'binary';
    let child = eventsOutBy.get(name);
    if (!child) {
      child = eventsOut.labels({ event: name });
      eventsOutBy.set(name, child);
    }
    child.inc();
  };
  const ackSeconds = new Histogram({
    name: 'convene_realtime_ack_seconds',
    help: 'Time from receiving an event to acknowledging it, by event and outcome',
    labelNames: ['event', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const inflight = new Gauge({
    name: 'convene_realtime_inflight_acks',
    help: 'Events received whose ack has not been sent yet',
    registers: [registry],
  });

  // Pending acks per socket; a token leaves its set exactly once (answered or socket gone).
  const owed = new Map<string, Set<object>>();
  let total = 0;
  const settle = (socketId: string, token: object) => {
    if (owed.get(socketId)?.delete(token)) {
      total--;
      inflight.set(total);
    }
  };

  // Socket.IO calls an outgoing listener for direct emits and for every local receiver of a
  // broadcast (also one relayed from another instance by the adapter), never for acks. Attached in
  // a middleware so it precedes every connection handler's first emit. Event names come from the
  // server's own contract, so the label set stays small.
  io.use((socket: TAnySocket, next: (err?: Error) => void) => {
    socket.onAnyOutgoing(countOut);
    next();
  });

  io.on('connection', (socket: TAnySocket) => {
    const pending = new Set<object>();
    owed.set(socket.id, pending);
    connections.inc({ transport: socket.conn.transport.name });
    socket.on('disconnect', (reason: string) => {
      disconnections.inc({ reason });
      // A handler that never answers must not block a drain once its client is gone.
      total -= pending.size;
      inflight.set(total);
      owed.delete(socket.id);
    });
    socket.use((packet, next) => {
      const [event] = packet;
      // Only events someone listens to become label values: clients cannot grow the series set.
      const name = typeof event === 'string' && socket.listeners(event).length > 0 ? event : 'unhandled';
      events.inc({ event: name });
      const last = packet.length - 1;
      const ack = packet[last];
      if (last > 0 && typeof ack === 'function') {
        const started = performance.now();
        const token = {};
        pending.add(token);
        total++;
        inflight.set(total);
        packet[last] = (...args: unknown[]) => {
          if (pending.has(token)) {
            ackSeconds.observe(
              { event: name, outcome: outcomeOf(args[0]) },
              (performance.now() - started) / 1000,
            );
          }
          settle(socket.id, token);
          return (ack as (...a: unknown[]) => unknown)(...args);
        };
      }
      next();
    });
  });

  const inflightAcks = (socket?: TAnySocket) => (socket ? (owed.get(socket.id)?.size ?? 0) : total);
  return {
    inflightAcks,
    async waitForAcks(timeoutMs, socket) {
      const deadline = Date.now() + timeoutMs;
      while (inflightAcks(socket) > 0) {
        if (Date.now() >= deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return true;
    },
  };
}
