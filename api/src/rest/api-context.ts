import type { Db } from '../db/client';
import type { TEnv } from '../env';
import type { TRoomAdmin } from '../livekit/room-admin';
import type { Logger } from '../logger';
import type { TModerationDeps } from '../moderation/moderate-room';
import type { FixedWindowCounter } from '../rate-limit/fixed-window';
import type { TInternalClientConfig } from '../realtime/internal-client';
import type { TWebhookDeps } from '../webhooks/endpoints';

/** What REST API v1 operations need; built once per web process. */
export interface TApiContext {
  db: Db;
  env: TEnv;
  logger: Logger;
  roomAdmin: TRoomAdmin;
  webhooks: TWebhookDeps;
  livekitKeys: { apiKey: string; apiSecret: string };
  /** The shared moderation entry point: audit log, live notices, removal revocation. */
  moderation: TModerationDeps;
  /** The realtime server's internal endpoints (system messages, recording control). */
  realtime: TInternalClientConfig;
  /** Per-key request windows: shared through Redis with REDIS_URL, this process's otherwise. */
  rateLimits: FixedWindowCounter;
}
