import { z } from 'zod';
import { MAX_CHAT_TEXT_LENGTH } from '../chat/schemas';
import { ZDisplayName, ZRoomSlug } from '../rooms/schemas';
import { ZRole } from '../tokens/policy';
import { ZWebhookEventType } from '../webhooks/events';

/**
 * Request and response schemas of REST API v1. The same objects validate requests in the route
 * handlers and generate the OpenAPI document (`buildOpenApiDocument`), so the two cannot drift.
 * Request bodies are strict: an unknown field is a 400 naming it.
 */

const MAX_METADATA_BYTES = 4096;

export const ZMetadata = z
  .record(z.string().max(64), z.unknown())
  .refine(
    (m) => JSON.stringify(m).length <= MAX_METADATA_BYTES,
    `must be at most ${MAX_METADATA_BYTES} bytes as JSON`,
  )
  .meta({ description: `Free-form JSON object (≤ ${MAX_METADATA_BYTES} bytes), returned as is.` });

const ZTimestamp = z.iso.datetime();
const ZLimit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

// ── Rooms ──────────────────────────────────────────────────────────────────────────────────

const roomOptions = {
  displayName: ZDisplayName.optional(),
  maxParticipants: z.int().min(1).max(1000).optional(),
  emptyTimeoutSeconds: z.int().min(10).max(86_400).optional(),
  lobbyEnabled: z.boolean().optional(),
  recordingAllowed: z.boolean().optional(),
};

export const ZCreateRoomBody = z
  .strictObject({
    name: ZRoomSlug.optional().meta({ description: 'Room name used in links; generated when omitted.' }),
    ...roomOptions,
    metadata: ZMetadata.optional(),
  })
  .meta({ id: 'CreateRoom' });
export type TCreateRoomBody = z.infer<typeof ZCreateRoomBody>;

export const ZUpdateRoomBody = z
  .strictObject({
    ...roomOptions,
    locked: z.boolean().optional(),
    metadata: ZMetadata.nullable().optional(),
  })
  .meta({ id: 'UpdateRoom' });
export type TUpdateRoomBody = z.infer<typeof ZUpdateRoomBody>;

export const ZListRoomsQuery = z.strictObject({
  cursor: z.uuid().optional(),
  limit: ZLimit(100, 20),
  active: z.enum(['true', 'false']).optional(),
});

export const ZRoom = z
  .object({
    id: z.uuid(),
    name: z.string(),
    displayName: z.string(),
    maxParticipants: z.int(),
    emptyTimeoutSeconds: z.int(),
    lobbyEnabled: z.boolean(),
    recordingAllowed: z.boolean(),
    locked: z.boolean(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    active: z.boolean().meta({ description: 'A meeting is running in the room now.' }),
    url: z.string().meta({ description: 'Link to the room page (pre-join screen).' }),
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
  })
  .meta({ id: 'Room' });
export type TRoom = z.infer<typeof ZRoom>;

export const ZRoomList = z
  .object({ data: z.array(ZRoom), nextCursor: z.string().nullable() })
  .meta({ id: 'RoomList' });

// ── Tokens ─────────────────────────────────────────────────────────────────────────────────

export const ZCreateTokenBody = z
  .strictObject({
    identity: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9_.:@-]+$/, 'use letters, digits and _ . : @ -'),
    name: ZDisplayName,
    role: ZRole.default('participant'),
    ttlSeconds: z.int().min(60).max(86_400).default(3600).meta({
      description:
        'How long the join link (or lobby ticket) stays valid. The LiveKit token itself lives at most TOKEN_TTL_SECONDS (10 minutes by default); the room page refreshes it.',
    }),
    skipPrejoin: z
      .boolean()
      .default(false)
      .meta({ description: 'The join link opens the meeting directly instead of the pre-join screen.' }),
    skipLobby: z.boolean().default(false).meta({
      description:
        'In a room with the lobby on, let this user straight in. Without it a participant or viewer gets a lobby ticket and waits for a host (hosts never wait).',
    }),
  })
  .meta({ id: 'CreateToken' });
export type TCreateTokenBody = z.infer<typeof ZCreateTokenBody>;

export const ZToken = z
  .object({
    state: z.enum(['joined', 'waiting']).meta({
      description:
        '`joined`: `token` lets the user into the meeting. `waiting`: the room has a lobby; `lobbyTicket` only lets them wait in it (over the realtime service) until a host admits them.',
    }),
    token: z
      .string()
      .optional()
      .meta({ description: 'LiveKit access token (state `joined`); also accepted by the realtime server.' }),
    lobbyTicket: z.string().optional().meta({
      description:
        'State `waiting`: grants no media access; the realtime service accepts it as `auth: { lobbyTicket }` and delivers the join token on admission.',
    }),
    livekitUrl: z.string(),
    realtimeUrl: z.string(),
    joinUrl: z.string().meta({
      description:
        'Opens the meeting for this user. The URL fragment carries a join-link ticket (no LiveKit access of its own; the page redeems it for a token) or, in state `waiting`, the lobby ticket, and the page waits in the lobby.',
    }),
    expiresAt: ZTimestamp.meta({ description: 'When `token` (or the lobby ticket) expires.' }),
    joinUrlExpiresAt: ZTimestamp.meta({ description: 'When `joinUrl` stops working.' }),
    room: z.string(),
    identity: z.string(),
    name: z.string(),
    role: ZRole,
  })
  .meta({ id: 'Token' });

// ── Participants ───────────────────────────────────────────────────────────────────────────

export const ZTrack = z.object({
  sid: z.string(),
  kind: z.enum(['audio', 'video', 'data']),
  source: z.enum(['camera', 'microphone', 'screen_share', 'screen_share_audio', 'unknown']),
  muted: z.boolean(),
});

export const ZParticipant = z
  .object({
    identity: z.string(),
    name: z.string(),
    role: z.string().nullable(),
    state: z.enum(['joining', 'joined', 'active', 'disconnected']),
    joinedAt: ZTimestamp.nullable(),
    tracks: z.array(ZTrack),
  })
  .meta({ id: 'Participant' });
export type TParticipant = z.infer<typeof ZParticipant>;

export const ZParticipantList = z.object({ data: z.array(ZParticipant) }).meta({ id: 'ParticipantList' });

export const ZMuteBody = z
  .strictObject({
    audio: z.boolean().optional().meta({ description: 'true mutes the microphone, false unmutes it.' }),
    video: z.boolean().optional().meta({ description: 'true mutes the camera, false unmutes it.' }),
  })
  .refine((b) => b.audio !== undefined || b.video !== undefined, {
    message: 'give audio and/or video',
    path: ['audio'],
  })
  .meta({ id: 'Mute' });

// ── Chat messages ──────────────────────────────────────────────────────────────────────────

export const ZListMessagesQuery = z.strictObject({
  after: z.coerce.number().int().min(0).optional().meta({ description: 'Return messages with seq > after.' }),
  limit: ZLimit(200, 50),
});

export const ZChatMessageView = z
  .object({
    id: z.string(),
    seq: z.int(),
    kind: z.string(),
    senderIdentity: z.string(),
    senderName: z.string(),
    text: z.string(),
    createdAt: ZTimestamp,
  })
  .meta({ id: 'ChatMessage' });

export const ZMessageList = z
  .object({ data: z.array(ZChatMessageView), nextCursor: z.int().nullable() })
  .meta({ id: 'ChatMessageList' });

export const ZPostMessageBody = z
  .strictObject({
    text: z.string().trim().min(1).max(MAX_CHAT_TEXT_LENGTH),
  })
  .meta({ id: 'PostMessage' });

// ── Sessions ───────────────────────────────────────────────────────────────────────────────

export const ZListSessionsQuery = z.strictObject({ cursor: z.uuid().optional(), limit: ZLimit(50, 20) });

export const ZSession = z
  .object({
    id: z.uuid(),
    startedAt: ZTimestamp,
    endedAt: ZTimestamp.nullable(),
    peakParticipants: z.int(),
    attendance: z.array(
      z.object({
        identity: z.string(),
        name: z.string(),
        role: z.string(),
        joinedAt: ZTimestamp,
        leftAt: ZTimestamp.nullable(),
      }),
    ),
  })
  .meta({ id: 'Session' });

export const ZSessionList = z
  .object({ data: z.array(ZSession), nextCursor: z.string().nullable() })
  .meta({ id: 'SessionList' });

// ── Webhooks ───────────────────────────────────────────────────────────────────────────────

export const ZWebhookUrl = z
  .string()
  .max(2048)
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }));

export const ZCreateWebhookBody = z
  .strictObject({
    url: ZWebhookUrl,
    eventTypes: z
      .array(ZWebhookEventType)
      .min(1)
      .max(32)
      .optional()
      .meta({ description: 'Defaults to every event except the opt-in chat.message.' }),
    description: z.string().max(200).optional(),
  })
  .meta({ id: 'CreateWebhook' });
export type TCreateWebhookBody = z.infer<typeof ZCreateWebhookBody>;

export const ZUpdateWebhookBody = z
  .strictObject({
    url: ZWebhookUrl.optional(),
    eventTypes: z.array(ZWebhookEventType).min(1).max(32).optional(),
    description: z.string().max(200).optional(),
    enabled: z
      .boolean()
      .optional()
      .meta({ description: 'Re-enable an endpoint that was disabled after failures.' }),
  })
  .meta({ id: 'UpdateWebhook' });

export const ZRotateSecretBody = z
  .strictObject({
    overlapSeconds: z
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(86_400)
      .meta({ description: 'How long deliveries are also signed with the old secret.' }),
  })
  .meta({ id: 'RotateSecret' });

export const ZWebhookEndpointView = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(z.string()),
    state: z.enum(['enabled', 'disabled']),
    disabledReason: z.string().nullable(),
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
  })
  .meta({ id: 'WebhookEndpoint' });

export const ZWebhookEndpointWithSecret = ZWebhookEndpointView.extend({
  secret: z.string().meta({ description: 'whsec_… signing secret; shown only here.' }),
}).meta({ id: 'WebhookEndpointWithSecret' });

export const ZWebhookEndpointList = z
  .object({ data: z.array(ZWebhookEndpointView) })
  .meta({ id: 'WebhookEndpointList' });

export const ZRotatedSecret = z
  .object({ secret: z.string(), previousSecretExpiresAt: ZTimestamp.nullable() })
  .meta({ id: 'RotatedSecret' });

export const ZListDeliveriesQuery = z.strictObject({ cursor: z.uuid().optional(), limit: ZLimit(100, 20) });

export const ZWebhookAttemptView = z.object({
  attemptNumber: z.int(),
  responseStatus: z.int().nullable(),
  error: z.string().nullable(),
  latencyMs: z.int(),
  responseSnippet: z.string().nullable(),
  createdAt: ZTimestamp,
});

export const ZWebhookDeliveryView = z
  .object({
    id: z.uuid(),
    eventId: z.string().meta({ description: 'The webhook-id header: stable across retries and replays.' }),
    eventType: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attemptCount: z.int(),
    nextAttemptAt: ZTimestamp.nullable(),
    replayOf: z.uuid().nullable(),
    createdAt: ZTimestamp,
    attempts: z.array(ZWebhookAttemptView),
  })
  .meta({ id: 'WebhookDelivery' });

export const ZWebhookDeliveryList = z
  .object({ data: z.array(ZWebhookDeliveryView), nextCursor: z.string().nullable() })
  .meta({ id: 'WebhookDeliveryList' });

// ── Errors ─────────────────────────────────────────────────────────────────────────────────

export const ZProblem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    code: z.string().meta({ description: 'Stable machine-readable error code.' }),
    detail: z.string(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Field errors for VALIDATION_FAILED.' }),
    details: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'Context of the error, e.g. the current `state` of a CONFLICT.' }),
  })
  .meta({ id: 'Problem' });

// ── Path parameters ────────────────────────────────────────────────────────────────────────

export const ZRoomParam = z.string().meta({ description: 'Room name.' });
export const ZIdentityParam = z.string().min(1).max(128);
export const ZIdParam = z.uuid();
