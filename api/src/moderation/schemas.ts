import { z } from 'zod';
import { type TRole, ZRole } from '../tokens/policy';

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
  /** Mute everyone's microphone (and/or camera) except hosts. Default: microphones. */
  z
    .object({
      kind: z.literal('mute_all'),
      audio: z.boolean().optional(),
      video: z.boolean().optional(),
    })
    .strict(),
  /** Ask a participant to unmute: they get a prompt; nothing is unmuted without their consent. */
  z
    .object({
      kind: z.literal('ask_unmute'),
      identity: ZIdentity,
      audio: z.boolean().optional(),
      video: z.boolean().optional(),
    })
    .strict(),
  /**
   * Disconnect the participant from LiveKit and the realtime service. They get no new token or
   * realtime connection for this meeting (until it ends).
   */
  z.object({ kind: z.literal('remove'), identity: ZIdentity }).strict(),
  /** Lock or unlock the room: while locked only hosts get join tokens; people inside stay. */
  z.object({ kind: z.literal('lock'), locked: z.boolean() }).strict(),
  /** Turn the lobby on or off: while on, non-hosts wait until a host admits them. */
  z.object({ kind: z.literal('lobby'), enabled: z.boolean() }).strict(),
  /** Let a waiting participant in (they receive their join token over the realtime link). */
  z.object({ kind: z.literal('admit'), identity: ZIdentity }).strict(),
  /** Turn a waiting participant away. */
  z.object({ kind: z.literal('deny'), identity: ZIdentity }).strict(),
  /** End the meeting for everyone (LiveKit deletes the room, the meeting is closed; the record stays). */
  z.object({ kind: z.literal('end') }).strict(),
  /** Change the participant's role: LiveKit permissions and the `role` attribute, applied live. */
  z.object({ kind: z.literal('set_role'), identity: ZIdentity, role: ZRole }).strict(),
]);
export type TModerationAction = z.infer<typeof ZModerationAction>;

/** Who did it, as participants see it ("Ann muted your microphone"). */
export interface TModerator {
  identity: string;
  name: string;
}

/**
 * What the realtime service must apply after a moderation action: tell the people concerned,
 * update live sockets (role), disconnect (remove, end, deny), hand out tokens (admit).
 */
export type TModerationNotice =
  | { kind: 'muted'; room: string; identity: string; by: TModerator; audio: boolean; video: boolean }
  | {
      kind: 'unmute_requested';
      room: string;
      identity: string;
      by: TModerator;
      audio: boolean;
      video: boolean;
    }
  | { kind: 'removed'; room: string; identity: string; by: TModerator }
  | { kind: 'role_changed'; room: string; identity: string; role: TRole; by: TModerator }
  | { kind: 'room_state'; room: string; locked: boolean; lobbyEnabled: boolean }
  | { kind: 'ended'; room: string; by: TModerator }
  /** `role`: one a host gave this person; without it, the role their lobby ticket carries. */
  | { kind: 'admitted'; room: string; identity: string; role?: TRole; by: TModerator }
  | { kind: 'denied'; room: string; identity: string; by: TModerator };

export const ZModerationNotice: z.ZodType<TModerationNotice> = (() => {
  const room = z.string().min(1).max(128);
  const by = z.object({ identity: z.string().max(128), name: z.string().max(128) });
  return z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('muted'),
      room,
      identity: ZIdentity,
      by,
      audio: z.boolean(),
      video: z.boolean(),
    }),
    z.object({
      kind: z.literal('unmute_requested'),
      room,
      identity: ZIdentity,
      by,
      audio: z.boolean(),
      video: z.boolean(),
    }),
    z.object({ kind: z.literal('removed'), room, identity: ZIdentity, by }),
    z.object({ kind: z.literal('role_changed'), room, identity: ZIdentity, role: ZRole, by }),
    z.object({ kind: z.literal('room_state'), room, locked: z.boolean(), lobbyEnabled: z.boolean() }),
    z.object({ kind: z.literal('ended'), room, by }),
    z.object({ kind: z.literal('admitted'), room, identity: ZIdentity, role: ZRole.optional(), by }),
    z.object({ kind: z.literal('denied'), room, identity: ZIdentity, by }),
  ]);
})();

/** How the moderation domain reaches the realtime service; `sockets` = how many it reached. */
export interface TModerationNotifier {
  notify(notice: TModerationNotice): Promise<{ sockets: number }>;
}
