import type { Db } from '../db/client';
import type { Logger } from '../logger';
import { storeMessages, type TMessageDraft, toChatMessage } from './repository';
import type { TChatMessage } from './schemas';

interface TPending {
  draft: TMessageDraft;
  resolve: (message: TChatMessage) => void;
  reject: (error: unknown) => void;
}

/** Most messages one group commit writes. */
const MAX_BATCH = 256;

/**
 * Group commit per room: while one write of a room is in flight, later messages of that room
 * queue up and go together in the next statement. Nothing resolves before its statement has
 * committed, so "ack means stored" holds; under no load a message is written alone at once.
 * The queue is only this process's write buffer: seq comes from the database, not from here.
 */
export class ChatWriter {
  private readonly rooms = new Map<string, TPending[]>();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  write(draft: TMessageDraft): Promise<TChatMessage> {
    return new Promise((resolve, reject) => {
      const queue = this.rooms.get(draft.roomId);
      if (queue) {
        queue.push({ draft, resolve, reject });
        return;
      }
      this.rooms.set(draft.roomId, []);
      void this.flush(draft.roomId, [{ draft, resolve, reject }]);
    });
  }

  private async flush(roomId: string, batch: TPending[]): Promise<void> {
    try {
      const rows = await storeMessages(
        this.db,
        roomId,
        batch.map((p) => p.draft),
      );
      for (const [i, row] of rows.entries()) batch[i]?.resolve(toChatMessage(row));
    } catch (error) {
      this.logger.error({ err: error, roomId, size: batch.length }, 'chat write failed');
      for (const p of batch) p.reject(error);
    }
    const queue = this.rooms.get(roomId) ?? [];
    if (queue.length === 0) {
      this.rooms.delete(roomId);
      return;
    }
    const next = queue.splice(0, MAX_BATCH);
    void this.flush(roomId, next);
  }
}
