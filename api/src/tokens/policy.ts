import { TrackSource, type VideoGrant } from 'livekit-server-sdk';
import { z } from 'zod';

export const ROLES = ['host', 'participant', 'viewer'] as const;
export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;

/** What a role may do, independent of transport. Sockets, REST and pages all ask here. */
export interface TPermissions {
  canPublish: boolean;
  canModerate: boolean;
  canRecord: boolean;
  canChat: boolean;
}

const PERMISSIONS: Record<TRole, TPermissions> = {
  host: { canPublish: true, canModerate: true, canRecord: true, canChat: true },
  participant: { canPublish: true, canModerate: false, canRecord: false, canChat: true },
  viewer: { canPublish: false, canModerate: false, canRecord: false, canChat: true },
};

export function permissionsFor(role: TRole): TPermissions {
  return PERMISSIONS[role];
}

const PUBLISH_SOURCES = [
  TrackSource.CAMERA,
  TrackSource.MICROPHONE,
  TrackSource.SCREEN_SHARE,
  TrackSource.SCREEN_SHARE_AUDIO,
];

/** The single policy turning a role into LiveKit grants. */
export function grantsForRole(role: TRole, room: string): VideoGrant {
  const permissions = permissionsFor(role);
  return {
    room,
    roomJoin: true,
    canSubscribe: true,
    canPublish: permissions.canPublish,
    canPublishSources: permissions.canPublish ? PUBLISH_SOURCES : [],
    canPublishData: permissions.canPublish,
    canUpdateOwnMetadata: false,
    roomAdmin: permissions.canModerate,
    roomRecord: permissions.canRecord,
  };
}

/**
 * Grants of the embedded recorder: a hidden participant flagged as a recorder (LiveKit leaves it
 * out of participant lists) that subscribes to everything and publishes nothing.
 */
export function grantsForRecorder(room: string): VideoGrant {
  return {
    room,
    roomJoin: true,
    canSubscribe: true,
    canPublish: false,
    canPublishSources: [],
    canPublishData: false,
    canUpdateOwnMetadata: false,
    hidden: true,
    recorder: true,
  };
}
