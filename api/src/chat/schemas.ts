import { z } from 'zod';

/** Browser-safe: imported by the realtime contract and the web client core. */

/** Longest chat message, in UTF-16 code units. */
export const MAX_CHAT_TEXT_LENGTH = 4000;
/** Most messages one `chat:history` page returns. */
export const MAX_HISTORY_PAGE = 200;

const ZText = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(MAX_CHAT_TEXT_LENGTH, `must be at most ${MAX_CHAT_TEXT_LENGTH} characters`);

/** The sender's idempotency id: a retried send with the same id returns the stored message. */
export const ZClientId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, - and _');

export const ZChatSend = z.object({ clientId: ZClientId, text: ZText }).strict();
export type TChatSend = z.infer<typeof ZChatSend>;

const ZSeq = z.number().int().min(0);

/** A page of history: `afterSeq` pages forward (resume), `beforeSeq` backward; neither = the latest. */
export const ZChatHistory = z
  .object({
    beforeSeq: ZSeq.optional(),
    afterSeq: ZSeq.optional(),
    limit: z.number().int().min(1).max(MAX_HISTORY_PAGE).default(50),
  })
  .strict()
  .refine(
    (q) => q.beforeSeq === undefined || q.afterSeq === undefined,
    'use beforeSeq or afterSeq, not both',
  );
export type TChatHistory = z.input<typeof ZChatHistory>;

/** A system message posted by another process (web REST API) through the internal endpoint. */
export const ZSystemMessage = z.object({ clientId: ZClientId, text: ZText }).strict();
export type TSystemMessage = z.infer<typeof ZSystemMessage>;

export type TChatMessageKind = 'user' | 'system';

/** A stored chat message as every client sees it. */
export interface TChatMessage {
  id: string;
  /** Per-room, strictly increasing, gapless for stored messages. */
  seq: number;
  kind: TChatMessageKind;
  senderIdentity: string;
  senderName: string;
  text: string;
  clientId: string;
  /** Server time, ISO 8601. */
  createdAt: string;
}

export interface TChatPage {
  /** Ascending by seq. */
  messages: TChatMessage[];
  /** More messages exist in the requested direction. */
  hasMore: boolean;
}
