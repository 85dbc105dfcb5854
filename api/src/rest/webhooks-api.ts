import type { TDeliveryWithAttempts } from '../webhooks/deliveries';
import type { TWebhookEndpointRecord } from '../webhooks/endpoints';

export function toEndpointView(e: TWebhookEndpointRecord) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    state: e.state === 'disabled' ? ('disabled' as const) : ('enabled' as const),
    disabledReason: e.disabledReason,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

export function toDeliveryView(d: TDeliveryWithAttempts) {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.event.type,
    status: d.status as 'pending' | 'succeeded' | 'failed',
    attemptCount: d.attemptCount,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
    replayOf: d.replayOfId,
    createdAt: d.createdAt.toISOString(),
    attempts: d.attempts.map((a) => ({
      attemptNumber: a.attemptNumber,
      responseStatus: a.responseStatus,
      error: a.error,
      latencyMs: a.latencyMs,
      responseSnippet: a.responseSnippet,
      createdAt: a.createdAt.toISOString(),
    })),
  };
}
