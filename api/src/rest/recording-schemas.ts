import { z } from 'zod';
import { ZRoomSlug } from '../rooms/schemas';

/**
 * REST API v1 schemas of recordings (request validation and the OpenAPI document, like
 * schemas.ts for the other resources).
 */

const ZTimestamp = z.iso.datetime();

export const ZRecordingStateName = z
  .enum(['starting', 'recording', 'stopping', 'ready', 'failed'])
  .meta({ id: 'RecordingState' });

export const ZListRecordingsQuery = z.strictObject({
  cursor: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  room: ZRoomSlug.optional().meta({ description: 'Only recordings of this room.' }),
  state: ZRecordingStateName.optional(),
});
export type TListRecordingsQuery = z.infer<typeof ZListRecordingsQuery>;

export const ZRecordingParticipant = z.object({ identity: z.string(), name: z.string() });

export const ZRecording = z
  .object({
    id: z.uuid(),
    room: z.string().meta({ description: 'Room name.' }),
    state: ZRecordingStateName,
    failureReason: z.string().nullable(),
    startedBy: ZRecordingParticipant.meta({
      description: 'Who started it: a host, or `api:<key prefix>` for an API key.',
    }),
    startedAt: ZTimestamp,
    endedAt: ZTimestamp.nullable(),
    durationSeconds: z.number().nullable().meta({ description: 'Media duration, once ready.' }),
    sizeBytes: z.number().nullable().meta({ description: 'File size, once ready.' }),
    participants: z
      .array(ZRecordingParticipant)
      .meta({ description: 'Everyone the recorder saw in the room, once ready.' }),
    downloadUrl: z
      .string()
      .nullable()
      .meta({ description: 'GET it with an API key holding recordings:read (byte ranges supported).' }),
  })
  .meta({ id: 'Recording' });
export type TRecording = z.infer<typeof ZRecording>;

export const ZRecordingList = z
  .object({ data: z.array(ZRecording), nextCursor: z.string().nullable() })
  .meta({ id: 'RecordingList' });
