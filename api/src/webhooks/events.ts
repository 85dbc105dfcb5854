import { z } from 'zod';

/** Outgoing webhook event types. `chat.message` is opt-in: only endpoints naming it get it. */
export const WEBHOOK_EVENT_TYPES = [
  'room.started',
  'room.ended',
  'participant.joined',
  'participant.left',
  'chat.message',
  'recording.started',
  'recording.ready',
  'recording.failed',
] as const;

export const ZWebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type TWebhookEventType = z.infer<typeof ZWebhookEventType>;

/** Sent by `POST /webhooks/{id}/test` only; never subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';

export const OPT_IN_EVENT_TYPES: readonly TWebhookEventType[] = ['chat.message'];

export const DEFAULT_EVENT_TYPES: TWebhookEventType[] = WEBHOOK_EVENT_TYPES.filter(
  (t) => !OPT_IN_EVENT_TYPES.includes(t),
);

/** The JSON body of every delivery (the Standard Webhooks recommended envelope). */
export interface TWebhookEnvelope {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}
