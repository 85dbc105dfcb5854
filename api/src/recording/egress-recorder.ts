/**
 * The LiveKit Egress adapter of the Recorder port: LiveKit's egress workers (headless Chrome +
 * GStreamer) record a room composite to MP4, on the worker's disk or in an S3 bucket. Unlike the
 * embedded recorder nothing runs in this process, so any realtime instance can start or stop a
 * recording, and its progress arrives as LiveKit webhooks (`egress-events.ts`), which are what
 * finalise the row with the file.
 */
import {
  EgressClient,
  type EgressInfo,
  EgressStatus,
  EncodedFileOutput,
  EncodedFileType,
  type RoomCompositeOptions,
  S3Upload,
} from 'livekit-server-sdk';
import type { Db } from '../db/client';
import type { TEnv } from '../env';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { TLivekitKeys } from '../tokens/issue-join-token';
import { applyRecordingEvent } from './control-recording';
import {
  applyEgressInfo,
  egressFailureReason,
  egressFileOf,
  isEgressFailed,
  type TEgressWebhookDeps,
} from './egress-events';
import type { Recorder, TRecorderStartInput, TRecordingFile } from './recorder';

/** Where the egress worker writes: a directory on its own disk, or an S3(-compatible) bucket. */
export type TEgressOutput =
  | { kind: 'file'; dir: string }
  | {
      kind: 's3';
      bucket: string;
      region?: string | undefined;
      endpoint?: string | undefined;
      accessKey?: string | undefined;
      secret?: string | undefined;
      forcePathStyle?: boolean | undefined;
    };

/** `speaker` follows the active speaker full-frame; `grid` tiles everyone. */
export type TEgressLayout = 'grid' | 'speaker';

/** The EGRESS_* settings as an output (env.ts already requires a bucket for s3). */
export function egressOutputFromEnv(env: TEnv): TEgressOutput {
  if (env.EGRESS_OUTPUT === 'file') return { kind: 'file', dir: env.EGRESS_FILE_DIR };
  if (!env.EGRESS_S3_BUCKET) throw new Error('EGRESS_S3_BUCKET is required for EGRESS_OUTPUT=s3');
  return {
    kind: 's3',
    bucket: env.EGRESS_S3_BUCKET,
    region: env.EGRESS_S3_REGION,
    endpoint: env.EGRESS_S3_ENDPOINT,
    accessKey: env.EGRESS_S3_ACCESS_KEY,
    secret: env.EGRESS_S3_SECRET,
    forcePathStyle: env.EGRESS_S3_FORCE_PATH_STYLE,
  };
}

/**
 * The file name of a recording. Egress expands `{room_name}`-style templates in paths, so
 * anything beyond letters, digits, `_` and `-` is replaced: a room name can never inject one.
 */
export function egressFileName(room: string, recordingId: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${safe(room)}-${safe(recordingId)}.mp4`;
}

export interface TRoomCompositeRequest {
  roomName: string;
  output: { file: EncodedFileOutput };
  options: RoomCompositeOptions;
}

/**
 * The StartRoomCompositeEgress arguments for one recording: audio and video (the room as the
 * layout shows it), MP4 (H.264 720p30, the server default) at `<dir>/<room>-<recordingId>.mp4`, or at that key in
 * the bucket.
 */
export function buildRoomCompositeRequest(input: {
  room: string;
  recordingId: string;
  output: TEgressOutput;
  layout?: TEgressLayout;
}): TRoomCompositeRequest {
  const name = egressFileName(input.room, input.recordingId);
  const file =
    input.output.kind === 'file'
      ? new EncodedFileOutput({
          fileType: EncodedFileType.MP4,
          filepath: `${input.output.dir.replace(/\/+$/, '')}/${name}`,
        })
      : new EncodedFileOutput({
          fileType: EncodedFileType.MP4,
          filepath: name,
          output: {
            case: 's3',
            value: new S3Upload({
              bucket: input.output.bucket,
              region: input.output.region ?? '',
              endpoint: input.output.endpoint ?? '',
              accessKey: input.output.accessKey ?? '',
              secret: input.output.secret ?? '',
              forcePathStyle: input.output.forcePathStyle ?? false,
            }),
          },
        });
  return {
    roomName: input.room,
    output: { file },
    options: {
      layout: input.layout ?? 'speaker',
      audioOnly: false,
      videoOnly: false,
      // No encoding options: the server's default is H.264 720p30 (the preset enum's 0, which the
      // SDK would drop anyway).
    },
  };
}

/** The slice of the SDK's EgressClient the recorder uses (tests may hand in a recorded one). */
export type TEgressApi = Pick<EgressClient, 'startRoomCompositeEgress' | 'stopEgress' | 'listEgress'>;

export interface TEgressRecorderOptions {
  livekitUrl: string;
  keys: TLivekitKeys;
  output: TEgressOutput;
  db: Db;
  logger: Logger;
  layout?: TEgressLayout;
  /** Bound on each Egress API call; livekit-server itself waits ~23 s for a worker. Default 10 s. */
  requestTimeoutMs?: number;
  /**
   * How long stop() waits for the `egress_ended` webhook to finalise the row before asking the
   * API for the final state itself (webhooks not configured or lost). Default 120 s: finishing an
   * MP4 and uploading it can take a while for long recordings.
   */
  finaliseTimeoutMs?: number;
  /** How often stop() looks at the row while it waits. Default 500 ms. */
  pollMs?: number;
  api?: TEgressApi;
}

export interface TEgressRecorder extends Recorder {
  /** Nothing to finalise on shutdown: egress runs on its own workers and reports by webhook. */
  stopAll(): Promise<void>;
  /**
   * Brings active egress recordings whose last change is older than `graceMs` (default 60 s) in
   * line with what the Egress API says, for webhooks that never arrived: a finished egress is
   * finalised like its `egress_ended` webhook would have, an egress LiveKit no longer knows and a
   * row whose start never stored an egress id (the process died mid-start) end `failed`. API
   * errors leave the row as it is. Answers how many rows moved.
   */
  reconcile(
    publish: TEgressWebhookDeps['publish'],
    options?: { graceMs?: number; roomIds?: string[] },
  ): Promise<number>;
}

const TERMINAL: EgressStatus[] = [
  EgressStatus.EGRESS_COMPLETE,
  EgressStatus.EGRESS_FAILED,
  EgressStatus.EGRESS_ABORTED,
  EgressStatus.EGRESS_LIMIT_REACHED,
];
const MAX_REASON = 300;

/** livekit-server's Twirp errors read `twirp error unknown: <message>`; the message is the part worth showing. */
function serverMessage(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const status = (error as { status?: unknown }).status;
  if (typeof status !== 'number') return null;
  return error.message.replace(/^twirp error [a-z_]+:\s*/i, '').slice(0, MAX_REASON) || `HTTP ${status}`;
}

/**
 * A readable reason for a failed Egress API call, as an AppError so the state machine shows it
 * (`failed` with this reason). Only the server's message or our own words: never a stack.
 */
export function egressCallError(error: unknown, action: 'start' | 'stop', timeoutMs: number): AppError {
  const message = serverMessage(error);
  if (message)
    return new AppError('UNAVAILABLE', `LiveKit Egress refused to ${action} the recording: ${message}`);
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new AppError(
      'UNAVAILABLE',
      `LiveKit Egress did not answer within ${timeoutMs / 1000} s (is an egress worker running?).`,
    );
  }
  return new AppError('UNAVAILABLE', 'LiveKit is unreachable.');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createEgressRecorder(options: TEgressRecorderOptions): TEgressRecorder {
  const { db } = options;
  const logger = options.logger.child({ module: 'egress-recorder' });
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const finaliseTimeoutMs = options.finaliseTimeoutMs ?? 120_000;
  const pollMs = options.pollMs ?? 500;
  const api: TEgressApi =
    options.api ??
    new EgressClient(options.livekitUrl, options.keys.apiKey, options.keys.apiSecret, {
      // A request to our own livekit-server: one attempt, bounded (the server waits long for workers).
      requestTimeout: timeoutMs / 1000,
      failover: false,
    });

  const readRow = (id: string) =>
    db.recording.findUnique({ where: { id }, select: { state: true, egressId: true, failureReason: true } });

  /**
   * A stop can arrive while start() still waits for the API (`starting` may be stopped): the
   * egress id is stored once the API answered, so wait for it that long.
   */
  async function waitForEgressId(recordingId: string): Promise<string> {
    const deadline = Date.now() + timeoutMs + 1_000;
    for (;;) {
      const row = await readRow(recordingId);
      if (row?.egressId) return row.egressId;
      // Gone, or already finished (the start was refused meanwhile): there is nothing to stop.
      const isOver = !row || row.state === 'failed' || row.state === 'ready';
      if (isOver || Date.now() > deadline)
        throw new AppError('CONFLICT', 'LiveKit Egress never started this recording.');
      await sleep(pollMs);
    }
  }

  /** Waits until a webhook moved the row out of `stopping` (a deleted row counts); null when not in time. */
  async function waitForWebhookFinalise(
    recordingId: string,
  ): Promise<{ state: string; failureReason: string | null } | null> {
    const deadline = Date.now() + finaliseTimeoutMs;
    while (Date.now() < deadline) {
      const row = await readRow(recordingId);
      if (!row) return { state: 'gone', failureReason: null };
      if (row.state !== 'stopping') return { state: row.state, failureReason: row.failureReason };
      await sleep(pollMs);
    }
    return null;
  }

  /** The final result straight from the API (webhooks missing): the file, or a failure. */
  function resultOf(info: EgressInfo | undefined): TRecordingFile {
    if (!info) return {};
    if (isEgressFailed(info.status)) throw new AppError('UNAVAILABLE', egressFailureReason(info));
    return info.status === EgressStatus.EGRESS_COMPLETE ? egressFileOf(info) : {};
  }

  return {
    async start({ room, recordingId }: TRecorderStartInput) {
      // Marked first, so a row whose start fails still says which recorder failed it.
      await db.recording.update({ where: { id: recordingId }, data: { recorder: 'egress' } });
      const request = buildRoomCompositeRequest({
        room,
        recordingId,
        output: options.output,
        ...(options.layout ? { layout: options.layout } : {}),
      });
      let info: EgressInfo;
      try {
        info = await api.startRoomCompositeEgress(request.roomName, request.output, request.options);
      } catch (error) {
        const appError = egressCallError(error, 'start', timeoutMs);
        // The request (with S3 credentials) is never logged; the error message is the server's.
        logger.warn({ room, recordingId, reason: appError.message }, 'egress start refused');
        throw appError;
      }
      const stored = await db.recording.update({
        where: { id: recordingId },
        data: { egressId: info.egressId },
        select: { state: true },
      });
      logger.info({ room, recordingId, egressId: info.egressId }, 'egress started');
      // The row gave up while the API was answering (a stop found no egress id): do not leave an
      // egress recording nobody will stop.
      if (stored.state === 'failed' || stored.state === 'ready') {
        await api.stopEgress(info.egressId).catch(() => undefined);
      }
    },

    async stop({ recordingId }) {
      const egressId = await waitForEgressId(recordingId);
      let stopped: EgressInfo | undefined;
      try {
        stopped = await api.stopEgress(egressId);
      } catch (error) {
        // Already over (the room ended, a limit was hit; livekit-server answers "egress with
        // status … cannot be stopped"): its egress_ended webhook carries the result, so fall
        // through and wait for it like after a successful stop.
        const isOver = /cannot be stopped/i.test(serverMessage(error) ?? '');
        if (!isOver) {
          const appError = egressCallError(error, 'stop', timeoutMs);
          logger.warn({ recordingId, egressId, reason: appError.message }, 'egress stop refused');
          throw appError;
        }
      }
      if (stopped && TERMINAL.includes(stopped.status)) return resultOf(stopped);
      // The webhook path finalises (file, size, duration); the transition the caller applies
      // afterwards is then refused by the state machine, so nothing is stored twice.
      const finalised = await waitForWebhookFinalise(recordingId);
      if (finalised) {
        if (finalised.state === 'failed')
          throw new AppError('UNAVAILABLE', finalised.failureReason ?? 'failed');
        return {};
      }
      logger.warn({ recordingId, egressId }, 'no egress_ended webhook in time: asking the API');
      const [latest] = await api.listEgress({ egressId }).catch(() => [] as EgressInfo[]);
      return resultOf(latest ?? stopped);
    },

    async stopAll() {},

    async reconcile(publish, reconcileOptions = {}) {
      const rows = await db.recording.findMany({
        where: {
          recorder: 'egress',
          state: { in: ['starting', 'recording', 'stopping'] },
          updatedAt: { lt: new Date(Date.now() - (reconcileOptions.graceMs ?? 60_000)) },
          ...(reconcileOptions.roomIds ? { roomId: { in: reconcileOptions.roomIds } } : {}),
        },
        select: { id: true, egressId: true, room: { select: { slug: true } } },
        take: 100,
      });
      const deps = { db, logger, publish };
      let moved = 0;
      for (const row of rows) {
        const fail = (failureReason: string) =>
          applyRecordingEvent(deps, row.room.slug, row.id, 'fail', { failureReason, endedAt: new Date() });
        if (!row.egressId) {
          if (await fail('LiveKit Egress never started this recording.')) moved++;
          continue;
        }
        let infos: EgressInfo[];
        try {
          infos = await api.listEgress({ egressId: row.egressId });
        } catch (error) {
          // Unavailable is not an answer: the row stays as it is until the API can say.
          logger.warn(
            { recordingId: row.id, reason: error instanceof Error ? error.message : String(error) },
            'egress reconcile: API unavailable',
          );
          continue;
        }
        const info = infos.find((i) => i.egressId === row.egressId);
        if (!info) {
          if (await fail('LiveKit Egress no longer knows this recording.')) moved++;
        } else if ((await applyEgressInfo(deps, info, 'reconcile')) === 'applied') {
          moved++;
        }
      }
      return moved;
    },
  };
}
