import pg from 'pg';
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import { ADMIN_EVENT_CHANNEL, latestAdminEventId, readAdminEventsAfter, type TAdminEvent } from './events';

/**
 * One per process: reads the admin event log once per wake-up (LISTEN/NOTIFY at commit, plus a
 * slow poll as a safety net) and fans the rows out to local SSE subscribers. The database is the
 * source of truth, so every instance sees every event, and a subscriber resumes from any id.
 */
export interface TAdminEventHub {
  /**
   * Delivers every event with id > `after` (replayed from the log), then live ones, in id order,
   * exactly once. `after = null` starts from now. Resolves once the replay is done.
   */
  subscribe(after: bigint | null, onEvent: (event: TAdminEvent) => void): Promise<() => void>;
  /** Reads the log now (tests, or a producer in this process that wants zero latency). */
  wake(): void;
  readonly subscriberCount: number;
  close(): Promise<void>;
}

interface TSubscriber {
  cursor: bigint;
  live: boolean;
  buffer: TAdminEvent[];
  onEvent: (event: TAdminEvent) => void;
}

const PAGE = 500;

export function createAdminEventHub(options: {
  db: Db;
  databaseUrl: string;
  pollMs: number;
  logger: Logger;
  /** Tests and benchmarks may skip LISTEN and rely on wake()/polling. */
  listen?: boolean;
}): TAdminEventHub {
  const { db, logger } = options;
  const subscribers = new Set<TSubscriber>();
  let lastId = 0n;
  let closed = false;
  let pumping: Promise<void> | null = null;
  let again = false;
  let listener: pg.Client | null = null;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const ready = latestAdminEventId(db).then((id) => {
    lastId = id;
  });

  function deliver(event: TAdminEvent) {
    const id = BigInt(event.id);
    for (const sub of subscribers) {
      if (!sub.live) sub.buffer.push(event);
      else if (id > sub.cursor) {
        sub.cursor = id;
        sub.onEvent(event);
      }
    }
  }

  async function pumpOnce() {
    await ready;
    for (;;) {
      const events = await readAdminEventsAfter(db, lastId, PAGE);
      for (const event of events) {
        lastId = BigInt(event.id);
        deliver(event);
      }
      if (events.length < PAGE) return;
    }
  }

  function wake() {
    if (closed) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = pumpOnce()
      .catch((err) => logger.warn({ err }, 'admin event hub: read failed'))
      .finally(() => {
        pumping = null;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  async function startListening() {
    if (closed || options.listen === false) return;
    const client = new pg.Client({ connectionString: options.databaseUrl });
    client.on('notification', () => wake());
    client.on('error', (err) => {
      logger.warn({ err }, 'admin event hub: LISTEN connection lost; reconnecting');
      listener = null;
      void client.end().catch(() => undefined);
      reconnectTimer = setTimeout(() => void startListening(), 1000);
      reconnectTimer.unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${ADMIN_EVENT_CHANNEL}`);
      listener = client;
      wake(); // anything committed while we were not listening
    } catch (err) {
      logger.warn({ err }, 'admin event hub: LISTEN unavailable; polling only');
      void client.end().catch(() => undefined);
    }
  }
  void startListening();

  const poll = setInterval(wake, options.pollMs);
  poll.unref();

  return {
    async subscribe(after, onEvent) {
      await ready;
      const sub: TSubscriber = { cursor: after ?? lastId, live: false, buffer: [], onEvent };
      subscribers.add(sub);
      try {
        if (after !== null) {
          for (;;) {
            const events = await readAdminEventsAfter(db, sub.cursor, PAGE);
            for (const event of events) {
              sub.cursor = BigInt(event.id);
              onEvent(event);
            }
            if (events.length < PAGE) break;
          }
        }
      } catch (error) {
        subscribers.delete(sub);
        throw error;
      }
      sub.live = true;
      for (const event of sub.buffer.splice(0)) {
        const id = BigInt(event.id);
        if (id > sub.cursor) {
          sub.cursor = id;
          onEvent(event);
        }
      }
      return () => {
        subscribers.delete(sub);
      };
    },
    wake,
    get subscriberCount() {
      return subscribers.size;
    },
    async close() {
      closed = true;
      clearInterval(poll);
      clearTimeout(reconnectTimer);
      subscribers.clear();
      await listener?.end().catch(() => undefined);
      await pumping;
    },
  };
}
