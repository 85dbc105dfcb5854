import type { Db } from '../db/client';
import { selectPage, toChatMessage } from './repository';
import type { TChatHistory, TChatPage } from './schemas';
import { ZChatHistory } from './schemas';

/** A page of a room's history, ascending by seq. */
export async function listMessages(db: Db, roomId: string, query: TChatHistory): Promise<TChatPage> {
  const q = ZChatHistory.parse(query);
  const { rows, hasMore } = await selectPage(db, { roomId, ...q });
  return { messages: rows.map(toChatMessage), hasMore };
}
