/**
 * What pre-join says when the browser refuses the camera or microphone. getUserMedia's errors
 * are DOMException names ("NotAllowedError", …) whose messages ("Permission denied") tell a user
 * neither what happened nor what to do.
 */
const BY_NAME: Record<string, string> = {
  NotAllowedError:
    'The browser blocks the camera and microphone for this site. Allow them in the site settings (the icon next to the address), then reload.',
  SecurityError: 'The browser only allows the camera and microphone on a secure (https) address.',
  NotFoundError: 'No camera or microphone was found.',
  DevicesNotFoundError: 'No camera or microphone was found.',
  OverconstrainedError: 'The chosen camera or microphone is no longer available. Pick another one.',
  NotReadableError: 'The camera or microphone is in use by another application, or the system blocks it.',
  AbortError: 'The camera or microphone could not be started.',
};

export function describeDeviceError(error: { name?: string; message?: string }): string {
  const known = error.name ? BY_NAME[error.name] : undefined;
  if (known) return known;
  const message = error.message?.trim();
  if (!message) return 'The camera or microphone is not available.';
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/** getUserMedia's own failures: never produced by a signalling or network problem. */
const DEVICE_ERROR_NAMES = new Set([
  'NotAllowedError',
  'PermissionDeniedError',
  'NotFoundError',
  'DevicesNotFoundError',
  'NotReadableError',
  'TrackStartError',
  'OverconstrainedError',
]);

export function isMediaDeviceError(error: { name?: string }): boolean {
  return !!error.name && DEVICE_ERROR_NAMES.has(error.name);
}
