import type { IncomingMessage, ServerResponse } from 'node:http';
import { ZSystemMessage } from '../chat/schemas';
import { sendSystemMessage } from '../chat/send-message';
import { AppError, httpStatusFor, isAppError, toPublicError } from '../errors';
import { ZModerationNotice } from '../moderation/schemas';
import { markParticipantLeftFromLivekit } from '../presence/track-presence';
import { getRecordingState, startRecording, stopRecording } from '../recording/control-recording';
import { ZInternalRecordingRequest } from '../recording/schemas';
import { isInternalBearer } from './internal-auth';
import { applyModerationNotice } from './moderation-notices';
import { channelOf, type TRealtimeContext } from './types';

const MAX_BODY_BYTES = 16 * 1024;
const MESSAGE_ROUTE = /^\/internal\/rooms\/([^/]+)\/messages$/;
const LEFT_ROUTE = /^\/internal\/rooms\/([^/]+)\/participants\/([^/]+)\/left$/;
const MODERATION_ROUTE = /^\/internal\/rooms\/([^/]+)\/moderation$/;
const START_RECORDING_ROUTE = /^\/internal\/rooms\/([^/]+)\/recordings$/;
const STOP_RECORDING_ROUTE = /^\/internal\/recordings\/([^/]+)\/stop$/;
const RECORDING_STATE_ROUTE = /^\/internal\/rooms\/([^/]+)\/recording-state$/;
const PRESENCE_ROUTE = /^\/internal\/rooms\/([^/]+)\/presence$/;

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: unknown) {
  const { code, message } = toPublicError(error);
  const status = httpStatusFor(code);
  const { details } = toPublicError(error);
  send(
    res,
    status,
    { type: 'about:blank', title: message, status, code, ...(details === undefined ? {} : { details }) },
    'application/problem+json',
  );
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The body is not JSON.');
  }
}

/**
 * Plain HTTP routes next to Socket.IO: `/healthz`; `POST /internal/rooms/{room}/messages`
 * (system message: stored, then broadcast); `POST /internal/rooms/{room}/participants/{identity}/left`
 * (LiveKit says they left: end a socket-less participant's presence now);
 * `POST /internal/rooms/{room}/moderation` (a moderation notice from another process: tell, update
 * roles, disconnect, admit; answers `{ sockets }`); `POST /internal/rooms/{room}/recordings` and
 * `POST /internal/recordings/{id}/stop` (an integrator starts/stops a recording through the same
 * domain functions as `recording:start`/`recording:stop`; answers the recording state);
 * `POST /internal/rooms/{room}/recording-state` (a recording changed elsewhere, e.g. by an egress
 * webhook: re-read and broadcast `recording:state`); `POST /internal/rooms/{room}/presence` (the
 * room's presence and hand queue, for the admin dashboard). All need the internal bearer.
 */
export function createHttpHandler(ctx: () => TRealtimeContext) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/healthz') {
      send(res, 200, { status: 'ok' });
      return;
    }
    const message = MESSAGE_ROUTE.exec(path);
    const left = LEFT_ROUTE.exec(path);
    const moderation = MODERATION_ROUTE.exec(path);
    const startRecordingMatch = START_RECORDING_ROUTE.exec(path);
    const stopRecordingMatch = STOP_RECORDING_ROUTE.exec(path);
    const recordingState = RECORDING_STATE_ROUTE.exec(path);
    const presence = PRESENCE_ROUTE.exec(path);
    if (
      !message &&
      !left &&
      !moderation &&
      !startRecordingMatch &&
      !stopRecordingMatch &&
      !recordingState &&
      !presence
    ) {
      sendError(res, new AppError('NOT_FOUND'));
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const c = ctx();
    (async () => {
      if (!isInternalBearer(c.env.LIVEKIT_API_SECRET, req.headers.authorization))
        throw new AppError('UNAUTHENTICATED');
      if (startRecordingMatch || stopRecordingMatch) {
        const parsed = ZInternalRecordingRequest.safeParse(await readJson(req));
        if (!parsed.success) throw new AppError('VALIDATION_FAILED', parsed.error.issues[0]?.message);
        const actor = { kind: 'integrator', ...parsed.data.actor } as const;
        if (startRecordingMatch) {
          send(
            res,
            201,
            await startRecording(c.recording, actor, decodeURIComponent(startRecordingMatch[1]!)),
          );
        } else {
          const recordingId = decodeURIComponent(stopRecordingMatch![1]!);
          send(res, 200, await stopRecording(c.recording, actor, { recordingId }));
        }
        return;
      }
      if (presence) {
        const room = decodeURIComponent(presence[1]!);
        const [participants, hands] = await Promise.all([
          c.store.list(room, Date.now()),
          c.store.listHands(room),
        ]);
        send(res, 200, { participants, hands });
        return;
      }
      if (recordingState) {
        // A recording row changed in another process (egress webhooks): broadcast what it is now.
        const slug = decodeURIComponent(recordingState[1]!);
        const room = await c.db.room.findUnique({ where: { slug }, select: { id: true } });
        if (!room) throw new AppError('ROOM_NOT_FOUND');
        const state = await getRecordingState(c.db, room.id);
        c.recording.publish(slug, state);
        send(res, 200, state);
        return;
      }
      if (moderation) {
        const parsed = ZModerationNotice.safeParse(await readJson(req));
        const slug = decodeURIComponent(moderation[1]!);
        if (!parsed.success || parsed.data.room !== slug)
          throw new AppError('VALIDATION_FAILED', parsed.error?.issues[0]?.message ?? 'room mismatch');
        send(res, 200, await applyModerationNotice(c, parsed.data));
        return;
      }
      if (left) {
        const [room, identity] = [decodeURIComponent(left[1]!), decodeURIComponent(left[2]!)];
        const updates = await markParticipantLeftFromLivekit(c.store, room, identity);
        for (const update of updates) c.io.to(channelOf(room)).emit('presence:update', update);
        send(res, 200, { left: updates.length > 0 });
        return;
      }
      const slug = decodeURIComponent(message![1]!);
      const parsed = ZSystemMessage.safeParse(await readJson(req));
      if (!parsed.success) throw new AppError('VALIDATION_FAILED', parsed.error.issues[0]?.message);
      const room = await c.db.room.findUnique({ where: { slug }, select: { id: true } });
      if (!room) throw new AppError('ROOM_NOT_FOUND');
      const stored = await sendSystemMessage(c.writer, room.id, parsed.data);
      c.io.to(channelOf(slug)).emit('chat:message', stored);
      send(res, 201, stored);
    })().catch((error: unknown) => {
      if (!isAppError(error)) c.logger.error({ err: error, path }, 'internal request failed');
      sendError(res, error);
    });
  };
}
