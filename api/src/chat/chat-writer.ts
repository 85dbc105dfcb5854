import type { Logger } from '../logger';
import { storeMessages, type TMessageDraft, toChatMessage } from './repository';
import type { TChatMessage } from './schemas';
import type { TSqlClient } from './sql';

interface TPending {
  draft: TMessageDraft;
  /** performance.now() when write() was called. */
  enqueuedAt: number;
  resolve: (message: TChatMessage) => void;
  reject: (error: unknown) => void;
}

interface TRoomQueue {
  waiting: TPending[];
  inFlight: number;
}

/** One message's fate: how long from write() to its statement committing (or failing). */
export interface TChatPersisted {
  seconds: number;
  ok: boolean;
}

export interface TChatWriterOptions {
  /** Most messages one statement writes. */
  maxBatch?: number;
  /** Statements of one room in flight at once (they serialise on the room row in PostgreSQL). */
  maxInFlight?: number;
}

/**
 * One statement per room at a time: statements of a room serialise on its row lock anyway, so a
 * second one in flight only waits for that lock holding a connection, and takes messages out of
 * the batch that would have followed (measured in bench/chat-fanout.ts: depth 1 beat 2 and 4).
 */
export const DEFAULT_MAX_IN_FLIGHT = 1;

/**
 * Group commit per room. Messages arriving while the room's statement is in flight queue up and
 * go together in the next statement, sent the moment the previous one commits. Nothing resolves
 * before its own statement committed, so "ack means stored" holds; with no load a message is written alone at once. Seq comes from
 * the database (the room row lock orders statements), not from this process-local buffer.
 * Concurrent unacknowledged sends of one socket may therefore be numbered in either order;
 * the client core sends its queue one message at a time.
 */
export class ChatWriter {
  private readonly rooms = new Map<string, TRoomQueue>();
  private readonly observers = new Set<(persisted: TChatPersisted) => void>();
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly sql: TSqlClient,
    private readonly logger: Logger,
    options: TChatWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 256;
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  }

  write(draft: TMessageDraft): Promise<TChatMessage> {
    return new Promise((resolve, reject) => {
      let room = this.rooms.get(draft.roomId);
      if (!room) {
        room = { waiting: [], inFlight: 0 };
        this.rooms.set(draft.roomId, room);
      }
      room.waiting.push({ draft, enqueuedAt: performance.now(), resolve, reject });
      this.pump(draft.roomId, room);
    });
  }

  /** Called once per message when its statement settles (metrics); returns an unsubscribe. */
  observe(observer: (persisted: TChatPersisted) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private settled(batch: TPending[], ok: boolean): void {
    if (this.observers.size === 0) return;
    const now = performance.now();
    for (const p of batch) {
      const persisted = { seconds: (now - p.enqueuedAt) / 1000, ok };
      for (const observer of this.observers) observer(persisted);
    }
  }

  private pump(roomId: string, room: TRoomQueue): void {
    while (room.inFlight < this.maxInFlight && room.waiting.length > 0) {
      const batch = room.waiting.splice(0, this.maxBatch);
      room.inFlight += 1;
      void this.flush(roomId, batch).finally(() => {
        room.inFlight -= 1;
        if (room.inFlight === 0 && room.waiting.length === 0) this.rooms.delete(roomId);
        else this.pump(roomId, room);
      });
    }
  }

  private async flush(roomId: string, batch: TPending[]): Promise<void> {
    try {
      const rows = await storeMessages(
        this.sql,
        roomId,
        batch.map((p) => p.draft),
      );
      this.settled(batch, true);
      for (const [i, row] of rows.entries()) batch[i]?.resolve(toChatMessage(row));
    } catch (error) {
      this.settled(batch, false);
      this.logger.error({ err: error, roomId, size: batch.length }, 'chat write failed');
      for (const p of batch) p.reject(error);
    }
  }
}
