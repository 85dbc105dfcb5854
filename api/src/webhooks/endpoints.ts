import type { Db } from '../db/client';
import { AppError } from '../errors';
import { newMessageId, notifyOutbox } from './enqueue';
import {
  DEFAULT_EVENT_TYPES,
  TEST_EVENT_TYPE,
  type TWebhookEnvelope,
  type TWebhookEventType,
} from './events';
import { encryptSecret, generateWebhookSecret } from './secrets';
import { assertWebhookUrlAllowed, type TUrlPolicy } from './url-policy';

export interface TWebhookDeps {
  db: Db;
  secretsKey: Buffer;
  urlPolicy: TUrlPolicy;
}

export type TWebhookEndpointRecord = NonNullable<Awaited<ReturnType<Db['webhookEndpoint']['findUnique']>>>;

export async function createWebhookEndpoint(
  deps: TWebhookDeps,
  input: { url: string; eventTypes?: TWebhookEventType[]; description?: string },
): Promise<{ endpoint: TWebhookEndpointRecord; secret: string }> {
  await assertWebhookUrlAllowed(deps.urlPolicy, input.url);
  const secret = generateWebhookSecret();
  const endpoint = await deps.db.webhookEndpoint.create({
    data: {
      url: input.url,
      description: input.description ?? '',
      eventTypes: [...new Set(input.eventTypes ?? DEFAULT_EVENT_TYPES)],
      secretCiphertext: encryptSecret(deps.secretsKey, secret),
    },
  });
  return { endpoint, secret };
}

export function listWebhookEndpoints(db: Db): Promise<TWebhookEndpointRecord[]> {
  return db.webhookEndpoint.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

export async function getWebhookEndpointOrThrow(db: Db, id: string): Promise<TWebhookEndpointRecord> {
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id } });
  if (!endpoint) throw new AppError('NOT_FOUND', 'No such webhook endpoint.');
  return endpoint;
}

export async function updateWebhookEndpoint(
  deps: TWebhookDeps,
  id: string,
  input: { url?: string; eventTypes?: TWebhookEventType[]; description?: string; enabled?: boolean },
): Promise<TWebhookEndpointRecord> {
  await getWebhookEndpointOrThrow(deps.db, id);
  if (input.url) await assertWebhookUrlAllowed(deps.urlPolicy, input.url);
  return deps.db.webhookEndpoint.update({
    where: { id },
    data: {
      url: input.url,
      description: input.description,
      eventTypes: input.eventTypes ? [...new Set(input.eventTypes)] : undefined,
      ...(input.enabled === undefined
        ? {}
        : input.enabled
          ? { state: 'enabled', disabledReason: null, failingSince: null }
          : { state: 'disabled', disabledReason: 'disabled by an API client' }),
    },
  });
}

export async function deleteWebhookEndpoint(db: Db, id: string): Promise<void> {
  const { count } = await db.webhookEndpoint.deleteMany({ where: { id } });
  if (count === 0) throw new AppError('NOT_FOUND', 'No such webhook endpoint.');
}

/**
 * Replaces the signing secret. Until `overlapSeconds` have passed, deliveries carry signatures
 * with both the new and the old secret, so receivers can switch without dropping events.
 */
export async function rotateWebhookSecret(
  deps: TWebhookDeps,
  id: string,
  overlapSeconds: number,
): Promise<{ secret: string; previousSecretExpiresAt: Date | null }> {
  const endpoint = await getWebhookEndpointOrThrow(deps.db, id);
  const secret = generateWebhookSecret();
  const previousSecretExpiresAt = overlapSeconds > 0 ? new Date(Date.now() + overlapSeconds * 1000) : null;
  await deps.db.webhookEndpoint.update({
    where: { id },
    data: {
      secretCiphertext: encryptSecret(deps.secretsKey, secret),
      previousSecretCiphertext: previousSecretExpiresAt ? endpoint.secretCiphertext : null,
      previousSecretExpiresAt,
    },
  });
  return { secret, previousSecretExpiresAt };
}

/** Queues a `webhook.test` event for this endpoint only (delivered like any other, logged). */
export async function sendTestWebhook(db: Db, id: string): Promise<{ eventId: string; deliveryId: string }> {
  const endpoint = await getWebhookEndpointOrThrow(db, id);
  if (endpoint.state !== 'enabled')
    throw new AppError('CONFLICT', 'The endpoint is disabled; enable it first.');
  const eventId = newMessageId();
  const envelope: TWebhookEnvelope = {
    type: TEST_EVENT_TYPE,
    timestamp: new Date().toISOString(),
    data: { endpointId: id, message: 'This is a test event from Convene.' },
  };
  const delivery = await db.$transaction(async (tx) => {
    await tx.webhookEvent.create({
      data: { id: eventId, type: TEST_EVENT_TYPE, payload: envelope as object },
    });
    const created = await tx.webhookDelivery.create({ data: { endpointId: id, eventId } });
    await notifyOutbox(tx);
    return created;
  });
  return { eventId, deliveryId: delivery.id };
}
