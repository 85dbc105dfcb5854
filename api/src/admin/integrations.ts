import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../apikeys/api-keys';
import { SCOPES, ZScope } from '../apikeys/scopes';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { listDeliveries, replayDelivery, type TDeliveryWithAttempts } from '../webhooks/deliveries';
import {
  createWebhookEndpoint,
  listWebhookEndpoints,
  rotateWebhookSecret,
  type TWebhookDeps,
  type TWebhookEndpointRecord,
  updateWebhookEndpoint,
} from '../webhooks/endpoints';
import { WEBHOOK_EVENT_TYPES, ZWebhookEventType } from '../webhooks/events';
import { recordAudit } from './audit-log';
import type { TActor } from './schemas';

/**
 * The admin console over the integrator domain (api/src/apikeys, api/src/webhooks): same
 * functions the CLI and REST API use, plus an audit entry for every change.
 */
export const ZCreateKey = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(ZScope).min(1).max(SCOPES.length),
    rateLimitPerMinute: z.number().int().min(1).max(100_000).nullable().optional(),
  })
  .strict();

export const ZCreateEndpoint = z
  .object({
    url: z.string().url().max(2000),
    description: z.string().max(500).optional(),
    eventTypes: z.array(ZWebhookEventType).min(1).optional(),
  })
  .strict();

export const ZUpdateEndpoint = z.object({ enabled: z.boolean() }).strict();
export const ZRotateSecret = z
  .object({
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86400)
      .default(86400),
  })
  .strict();

const ZId = z.string().uuid();
/** Ids come from URLs: anything that is not a uuid cannot exist. */
function endpointId(raw: string): string {
  const parsed = ZId.safeParse(raw);
  if (!parsed.success) throw new AppError('NOT_FOUND', 'No such webhook endpoint.');
  return parsed.data;
}

export const INTEGRATION_CHOICES = { scopes: SCOPES, eventTypes: WEBHOOK_EVENT_TYPES };

export async function adminListApiKeys(db: Db) {
  return (await listApiKeys(db)).map((k) => ({
    ...k,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  }));
}

export async function adminCreateApiKey(db: Db, actor: TActor, input: z.infer<typeof ZCreateKey>) {
  const { key, info } = await createApiKey(db, input);
  await recordAudit(db, {
    actor,
    action: 'apikey.create',
    target: info.prefix,
    details: { scopes: info.scopes },
  });
  return { key, prefix: info.prefix };
}

export async function adminRevokeApiKey(db: Db, actor: TActor, prefix: string) {
  const info = await revokeApiKey(db, prefix);
  await recordAudit(db, { actor, action: 'apikey.revoke', target: info.prefix });
}

function endpointView(e: TWebhookEndpointRecord) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    state: e.state,
    disabledReason: e.disabledReason,
    failingSince: e.failingSince?.toISOString() ?? null,
    previousSecretExpiresAt: e.previousSecretExpiresAt?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}

export async function adminListEndpoints(db: Db) {
  return (await listWebhookEndpoints(db)).map(endpointView);
}

export async function adminCreateEndpoint(
  deps: TWebhookDeps,
  actor: TActor,
  input: z.infer<typeof ZCreateEndpoint>,
) {
  const { endpoint, secret } = await createWebhookEndpoint(deps, input);
  await recordAudit(deps.db, {
    actor,
    action: 'webhook.create',
    target: endpoint.id,
    details: { url: endpoint.url },
  });
  return { endpoint: endpointView(endpoint), secret };
}

export async function adminSetEndpointEnabled(
  deps: TWebhookDeps,
  actor: TActor,
  id: string,
  enabled: boolean,
) {
  const endpoint = await updateWebhookEndpoint(deps, endpointId(id), { enabled });
  await recordAudit(deps.db, { actor, action: enabled ? 'webhook.enable' : 'webhook.disable', target: id });
  return endpointView(endpoint);
}

export async function adminRotateSecret(
  deps: TWebhookDeps,
  actor: TActor,
  id: string,
  overlapSeconds: number,
) {
  const rotated = await rotateWebhookSecret(deps, endpointId(id), overlapSeconds);
  await recordAudit(deps.db, {
    actor,
    action: 'webhook.rotate_secret',
    target: id,
    details: { overlapSeconds },
  });
  return {
    secret: rotated.secret,
    previousSecretExpiresAt: rotated.previousSecretExpiresAt?.toISOString() ?? null,
  };
}

function deliveryView(d: TDeliveryWithAttempts) {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.event.type,
    status: d.status,
    attemptCount: d.attemptCount,
    replayOfId: d.replayOfId,
    createdAt: d.createdAt.toISOString(),
    nextAttemptAt: d.nextAttemptAt.toISOString(),
    attempts: d.attempts.map((a) => ({
      attemptNumber: a.attemptNumber,
      responseStatus: a.responseStatus,
      error: a.error,
      latencyMs: a.latencyMs,
      at: a.createdAt.toISOString(),
    })),
  };
}

export async function adminListDeliveries(db: Db, id: string) {
  const page = await listDeliveries(db, endpointId(id), { limit: 50 });
  return page.data.map(deliveryView);
}

export async function adminReplayDelivery(db: Db, actor: TActor, id: string, deliveryId: string) {
  if (!ZId.safeParse(deliveryId).success) throw new AppError('NOT_FOUND', 'No such delivery.');
  const delivery = await replayDelivery(db, endpointId(id), deliveryId);
  await recordAudit(db, { actor, action: 'webhook.replay', target: id, details: { deliveryId } });
  return deliveryView(delivery);
}
