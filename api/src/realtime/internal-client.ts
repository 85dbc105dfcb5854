import type { TChatMessage, TSystemMessage } from '../chat/schemas';
import { AppError, ERROR_CATALOG, type ErrorCode } from '../errors';
import type { TModerationNotice } from '../moderation/schemas';
import type { THandQueue, TParticipant } from '../presence/schemas';
import type { TInternalRecordingRequest, TRecordingState } from '../recording/schemas';
import { internalBearer } from './internal-auth';

export interface TInternalClientConfig {
  /** Base URL of the realtime server as other processes reach it, e.g. http://127.0.0.1:4000 */
  realtimeUrl: string;
  livekitApiSecret: string;
}

/**
 * Posts a system message into a room: stored (with seq, idempotent by clientId) and broadcast.
 * For the web app's REST API. Throws AppError with the server's code on failure.
 */
export function postSystemMessage(
  config: TInternalClientConfig,
  room: string,
  message: TSystemMessage,
): Promise<TChatMessage> {
  return post<TChatMessage>(config, `/internal/rooms/${encodeURIComponent(room)}/messages`, message);
}

/**
 * For the LiveKit webhook route (`participant_left`): a participant without a live realtime
 * socket leaves now instead of after the grace period. Resolves `{ left: false }` when they are
 * still connected (or already gone).
 */
export function notifyParticipantLeft(
  config: TInternalClientConfig,
  room: string,
  identity: string,
): Promise<{ left: boolean }> {
  return post(
    config,
    `/internal/rooms/${encodeURIComponent(room)}/participants/${encodeURIComponent(identity)}/left`,
    {},
  );
}

/** The room's realtime presence (who is connected, reconnecting, typing) and its hand queue. */
export function fetchPresence(
  config: TInternalClientConfig,
  room: string,
): Promise<{ participants: TParticipant[]; hands: THandQueue }> {
  return post(config, `/internal/rooms/${encodeURIComponent(room)}/presence`, {});
}

/**
 * For the moderation domain outside the realtime server (admin dashboard, REST): the realtime
 * server applies the notice to live connections and answers how many sockets it concerned.
 */
export function notifyModeration(
  config: TInternalClientConfig,
  notice: TModerationNotice,
): Promise<{ sockets: number }> {
  return post(config, `/internal/rooms/${encodeURIComponent(notice.room)}/moderation`, notice);
}

/**
 * For the LiveKit webhook route (egress events): the recording row changed outside the realtime
 * server, so it re-reads the room's recording state and broadcasts `recording:state`.
 */
export function notifyRecordingState(config: TInternalClientConfig, room: string): Promise<TRecordingState> {
  return post(config, `/internal/rooms/${encodeURIComponent(room)}/recording-state`, {});
}

/**
 * For the REST API: starts recording a room on the realtime server (which holds the recorder),
 * through the same domain function as `recording:start`. Answers the new state (`starting`).
 */
export function startRecordingRemotely(
  config: TInternalClientConfig,
  room: string,
  body: TInternalRecordingRequest,
): Promise<TRecordingState> {
  return post(config, `/internal/rooms/${encodeURIComponent(room)}/recordings`, body);
}

/** For the REST API: stops a recording by id; the realtime server routes it to the instance holding it. */
export function stopRecordingRemotely(
  config: TInternalClientConfig,
  recordingId: string,
  body: TInternalRecordingRequest,
): Promise<TRecordingState> {
  return post(config, `/internal/recordings/${encodeURIComponent(recordingId)}/stop`, body);
}

async function post<T>(config: TInternalClientConfig, path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(new URL(path, config.realtimeUrl), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${internalBearer(config.livekitApiSecret)}`,
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new AppError('UNAVAILABLE', 'The realtime server is unreachable.');
  }
  const json = (await res.json().catch(() => null)) as unknown;
  if (res.ok) return json as T;
  const problem = json as { code?: string; title?: string; details?: unknown } | null;
  const code = problem?.code;
  if (!code || !(code in ERROR_CATALOG)) throw new AppError('UNAVAILABLE');
  // The realtime server's public message and details (e.g. the current state of a CONFLICT).
  throw new AppError(
    code as ErrorCode,
    typeof problem?.title === 'string' ? problem.title : undefined,
    problem?.details,
  );
}
