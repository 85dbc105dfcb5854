import { z } from 'zod';
import { ZRole } from '../tokens/policy';

const ZIdentity = z.string().min(1).max(128);

/** Every moderation action, as a discriminated union: one shape for REST, admin and in-room hosts. */
export const ZModerationAction = z.discriminatedUnion('kind', [
  /** Mute (or allow unmuting) one published track. */
  z
    .object({
      kind: z.literal('mute_track'),
      identity: ZIdentity,
      trackSid: z.string().min(1).max(64),
      muted: z.boolean(),
    })
    .strict(),
  /** Mute the participant's microphone and/or camera. */
  z
    .object({
      kind: z.literal('mute'),
      identity: ZIdentity,
      audio: z.boolean().optional(),
      video: z.boolean().optional(),
    })
    .strict(),
  /** Disconnect the participant (they may rejoin unless the room is locked). */
  z.object({ kind: z.literal('remove'), identity: ZIdentity }).strict(),
  /** Lock or unlock the room: while locked only hosts get join tokens. */
  z.object({ kind: z.literal('lock'), locked: z.boolean() }).strict(),
  /** End the meeting for everyone (LiveKit deletes the room; the record stays). */
  z.object({ kind: z.literal('end') }).strict(),
  /** Change the participant's role: LiveKit permissions and the `role` attribute. */
  z.object({ kind: z.literal('set_role'), identity: ZIdentity, role: ZRole }).strict(),
]);
export type TModerationAction = z.infer<typeof ZModerationAction>;
