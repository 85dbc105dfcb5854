import { z } from 'zod';
import type { TScope } from '../apikeys/scopes';
import { ZListRecordingsQuery, ZRecording, ZRecordingList } from './recording-schemas';
import {
  ZChatMessageView,
  ZCreateRoomBody,
  ZCreateTokenBody,
  ZCreateWebhookBody,
  ZListDeliveriesQuery,
  ZListMessagesQuery,
  ZListRoomsQuery,
  ZListSessionsQuery,
  ZMessageList,
  ZMuteBody,
  ZParticipant,
  ZParticipantList,
  ZPostMessageBody,
  ZRoom,
  ZRoomList,
  ZRotatedSecret,
  ZRotateSecretBody,
  ZSessionList,
  ZToken,
  ZUpdateRoomBody,
  ZUpdateWebhookBody,
  ZWebhookDeliveryList,
  ZWebhookDeliveryView,
  ZWebhookEndpointList,
  ZWebhookEndpointView,
  ZWebhookEndpointWithSecret,
} from './schemas';

/**
 * REST API v1 operations: path, scopes, request schemas and response schemas in one place.
 * Route handlers are built from these (`withApiKey(OPS.createRoom, …)` authenticates with the
 * scopes and validates with the schemas listed here) and the OpenAPI document is generated from
 * them, so the document describes exactly what the handlers enforce.
 */
export interface TOperation<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
> {
  operationId: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: 'Rooms' | 'Participants' | 'Messages' | 'Sessions' | 'Recordings' | 'Webhooks';
  scopes: TScope[];
  body?: B;
  query?: Q;
  /**
   * Status → response schema (null = empty body). `mediaTypes` marks a file body (not JSON) that
   * may come in any of these types.
   */
  responses: Record<number, { description: string; schema: z.ZodType | null; mediaTypes?: string[] }>;
  /** Error statuses this operation can answer besides the ones every operation of its method can. */
  extraErrors?: number[];
}

function op<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  o: TOperation<B, Q>,
): TOperation<B, Q> {
  return o;
}

/** What recorders write: the embedded one WebM, LiveKit Egress MP4. */
const RECORDING_MEDIA_TYPES = ['video/webm', 'video/mp4'];

const ZTestResult = z.object({ eventId: z.string(), deliveryId: z.uuid() }).meta({ id: 'WebhookTestResult' });

export const OPS = {
  createRoom: op({
    operationId: 'createRoom',
    method: 'post',
    path: '/rooms',
    summary: 'Create a room',
    tag: 'Rooms',
    scopes: ['rooms:write'],
    body: ZCreateRoomBody,
    responses: { 201: { description: 'The room', schema: ZRoom } },
  }),
  listRooms: op({
    operationId: 'listRooms',
    method: 'get',
    path: '/rooms',
    summary: 'List rooms (newest first, cursor pagination)',
    tag: 'Rooms',
    scopes: ['rooms:read'],
    query: ZListRoomsQuery,
    responses: { 200: { description: 'A page of rooms', schema: ZRoomList } },
  }),
  getRoom: op({
    operationId: 'getRoom',
    method: 'get',
    path: '/rooms/{room}',
    summary: 'Get a room',
    tag: 'Rooms',
    scopes: ['rooms:read'],
    responses: { 200: { description: 'The room', schema: ZRoom } },
  }),
  updateRoom: op({
    operationId: 'updateRoom',
    method: 'patch',
    path: '/rooms/{room}',
    summary: 'Update room settings',
    tag: 'Rooms',
    scopes: ['rooms:write'],
    body: ZUpdateRoomBody,
    responses: { 200: { description: 'The updated room', schema: ZRoom } },
  }),
  deleteRoom: op({
    operationId: 'deleteRoom',
    method: 'delete',
    path: '/rooms/{room}',
    summary: 'End the meeting for everyone and delete the room',
    tag: 'Rooms',
    scopes: ['rooms:write'],
    responses: { 204: { description: 'Deleted', schema: null } },
  }),
  createToken: op({
    operationId: 'createToken',
    method: 'post',
    path: '/rooms/{room}/tokens',
    summary: 'Issue a join token and link for a user',
    tag: 'Rooms',
    scopes: ['tokens:write'],
    body: ZCreateTokenBody,
    responses: { 201: { description: 'Token and join link', schema: ZToken } },
  }),
  listParticipants: op({
    operationId: 'listParticipants',
    method: 'get',
    path: '/rooms/{room}/participants',
    summary: 'List participants connected now',
    tag: 'Participants',
    scopes: ['participants:read'],
    responses: { 200: { description: 'Participants', schema: ZParticipantList } },
  }),
  removeParticipant: op({
    operationId: 'removeParticipant',
    method: 'delete',
    path: '/rooms/{room}/participants/{identity}',
    summary: 'Remove a participant from the meeting',
    tag: 'Participants',
    scopes: ['participants:write'],
    responses: { 204: { description: 'Removed', schema: null } },
  }),
  muteParticipant: op({
    operationId: 'muteParticipant',
    method: 'post',
    path: '/rooms/{room}/participants/{identity}/mute',
    summary: "Mute or unmute a participant's microphone and/or camera",
    tag: 'Participants',
    scopes: ['participants:write'],
    body: ZMuteBody,
    responses: { 200: { description: 'The participant after the change', schema: ZParticipant } },
  }),
  listMessages: op({
    operationId: 'listMessages',
    method: 'get',
    path: '/rooms/{room}/messages',
    summary: 'Chat history (ascending by seq; cursor = last seq)',
    tag: 'Messages',
    scopes: ['messages:read'],
    query: ZListMessagesQuery,
    responses: { 200: { description: 'A page of messages', schema: ZMessageList } },
  }),
  postMessage: op({
    operationId: 'postMessage',
    method: 'post',
    path: '/rooms/{room}/messages',
    summary: "Post a system message to the room's chat (shown live)",
    tag: 'Messages',
    scopes: ['messages:write'],
    body: ZPostMessageBody,
    responses: { 201: { description: 'The stored message', schema: ZChatMessageView } },
  }),
  listSessions: op({
    operationId: 'listSessions',
    method: 'get',
    path: '/rooms/{room}/sessions',
    summary: 'Past and current meetings with attendance',
    tag: 'Sessions',
    scopes: ['rooms:read'],
    query: ZListSessionsQuery,
    responses: { 200: { description: 'A page of sessions', schema: ZSessionList } },
  }),
  startRecording: op({
    operationId: 'startRecording',
    method: 'post',
    path: '/rooms/{room}/recordings',
    summary: 'Start recording a room (403 when the room disallows recording, 409 while one is active)',
    tag: 'Recordings',
    scopes: ['recordings:write'],
    responses: { 201: { description: 'The recording, starting', schema: ZRecording } },
  }),
  listRecordings: op({
    operationId: 'listRecordings',
    method: 'get',
    path: '/recordings',
    summary: 'List recordings (newest first, cursor pagination; filter by room and state)',
    tag: 'Recordings',
    scopes: ['recordings:read'],
    query: ZListRecordingsQuery,
    responses: { 200: { description: 'A page of recordings', schema: ZRecordingList } },
  }),
  getRecording: op({
    operationId: 'getRecording',
    method: 'get',
    path: '/recordings/{id}',
    summary: 'Get a recording',
    tag: 'Recordings',
    scopes: ['recordings:read'],
    responses: { 200: { description: 'The recording', schema: ZRecording } },
  }),
  stopRecording: op({
    operationId: 'stopRecording',
    method: 'post',
    path: '/recordings/{id}/stop',
    summary: 'Stop a recording (it becomes ready once the file is finalised; 409 when not active)',
    tag: 'Recordings',
    scopes: ['recordings:write'],
    responses: { 202: { description: 'The recording, stopping', schema: ZRecording } },
  }),
  downloadRecording: op({
    operationId: 'downloadRecording',
    method: 'get',
    path: '/recordings/{id}/download',
    summary: 'Download the file of a ready recording (single byte ranges: 206/416)',
    tag: 'Recordings',
    scopes: ['recordings:read'],
    responses: {
      200: { description: 'The whole file', schema: null, mediaTypes: RECORDING_MEDIA_TYPES },
      206: { description: 'The requested byte range', schema: null, mediaTypes: RECORDING_MEDIA_TYPES },
      416: { description: 'Range not satisfiable (Content-Range: bytes */size)', schema: null },
    },
  }),
  deleteRecording: op({
    operationId: 'deleteRecording',
    method: 'delete',
    path: '/recordings/{id}',
    summary: 'Delete a finished recording and its file (409 while it is active)',
    tag: 'Recordings',
    scopes: ['recordings:write'],
    responses: { 204: { description: 'Deleted', schema: null } },
    extraErrors: [409],
  }),
  createWebhook: op({
    operationId: 'createWebhook',
    method: 'post',
    path: '/webhooks',
    summary: 'Register a webhook endpoint (the secret is returned once)',
    tag: 'Webhooks',
    scopes: ['webhooks:write'],
    body: ZCreateWebhookBody,
    responses: {
      201: { description: 'The endpoint with its signing secret', schema: ZWebhookEndpointWithSecret },
    },
  }),
  listWebhooks: op({
    operationId: 'listWebhooks',
    method: 'get',
    path: '/webhooks',
    summary: 'List webhook endpoints',
    tag: 'Webhooks',
    scopes: ['webhooks:read'],
    responses: { 200: { description: 'Endpoints', schema: ZWebhookEndpointList } },
  }),
  getWebhook: op({
    operationId: 'getWebhook',
    method: 'get',
    path: '/webhooks/{id}',
    summary: 'Get a webhook endpoint',
    tag: 'Webhooks',
    scopes: ['webhooks:read'],
    responses: { 200: { description: 'The endpoint', schema: ZWebhookEndpointView } },
  }),
  updateWebhook: op({
    operationId: 'updateWebhook',
    method: 'patch',
    path: '/webhooks/{id}',
    summary: 'Change URL, event types, or re-enable an endpoint',
    tag: 'Webhooks',
    scopes: ['webhooks:write'],
    body: ZUpdateWebhookBody,
    responses: { 200: { description: 'The endpoint', schema: ZWebhookEndpointView } },
  }),
  deleteWebhook: op({
    operationId: 'deleteWebhook',
    method: 'delete',
    path: '/webhooks/{id}',
    summary: 'Delete a webhook endpoint',
    tag: 'Webhooks',
    scopes: ['webhooks:write'],
    responses: { 204: { description: 'Deleted', schema: null } },
  }),
  rotateWebhookSecret: op({
    operationId: 'rotateWebhookSecret',
    method: 'post',
    path: '/webhooks/{id}/rotate-secret',
    summary: 'Rotate the signing secret (old one keeps signing during the overlap)',
    tag: 'Webhooks',
    scopes: ['webhooks:write'],
    body: ZRotateSecretBody,
    responses: { 200: { description: 'The new secret', schema: ZRotatedSecret } },
  }),
  testWebhook: op({
    operationId: 'testWebhook',
    method: 'post',
    path: '/webhooks/{id}/test',
    summary: 'Send a webhook.test event to this endpoint',
    tag: 'Webhooks',
    scopes: ['webhooks:write'],
    responses: { 202: { description: 'Queued', schema: ZTestResult } },
  }),
  listDeliveries: op({
    operationId: 'listDeliveries',
    method: 'get',
    path: '/webhooks/{id}/deliveries',
    summary: 'Delivery log with every attempt (newest first)',
    tag: 'Webhooks',
    scopes: ['webhooks:read'],
    query: ZListDeliveriesQuery,
    responses: { 200: { description: 'A page of deliveries', schema: ZWebhookDeliveryList } },
  }),
  replayDelivery: op({
    operationId: 'replayDelivery',
    method: 'post',
    path: '/webhooks/{id}/deliveries/{deliveryId}/replay',
    summary: 'Deliver an event again (same webhook-id)',
    tag: 'Webhooks',
    scopes: ['webhooks:write'],
    responses: { 202: { description: 'The new delivery', schema: ZWebhookDeliveryView } },
  }),
} as const;

export type TOperationName = keyof typeof OPS;
