/**
 * The admin live feed's event types (the SSE `event:` names). Its own module so the browser's
 * EventSource subscribes to exactly the list the server writes.
 */
export const ADMIN_EVENT_TYPES = [
  'room.started',
  'room.finished',
  'participant.joined',
  'participant.left',
  'moderation',
  'room.updated',
  /** A participant's reported connection quality changed: `{ identity, quality, since }`. */
  'participant.quality',
  /** The room's poor-quality flag changed: `{ flagged }`. */
  'room.quality',
  /** A track went live in the SFU: `{ identity, track: { sid, source, kind } }`. */
  'track.published',
  /** `{ identity, track: { sid } }` */
  'track.unpublished',
  /** The room's recording state changed: `{ recording: TRecordingState }`. */
  'recording',
] as const;

export type TAdminEventType = (typeof ADMIN_EVENT_TYPES)[number];
