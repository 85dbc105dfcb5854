import type { TApiError } from './api-client';

/** What the user can do about a refused join, by error code; the server's `detail` comes first. */
const HINTS: Record<string, string> = {
  ROOM_LOCKED: 'Ask the host to unlock the meeting, then try again.',
  ROOM_FULL: 'Try again when someone has left.',
  RATE_LIMITED: 'Wait a moment before trying again.',
  UNAVAILABLE: 'The service is starting or overloaded; try again in a few seconds.',
  NETWORK: '',
};

/** The message shown on pre-join when the token API refuses: "<detail> <hint>". */
export function describeJoinError(error: TApiError): string {
  const hint = HINTS[error.code];
  return hint ? `${error.message} ${hint}` : error.message;
}
