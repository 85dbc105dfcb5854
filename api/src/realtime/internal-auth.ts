import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The bearer token other processes (the web app) present to the realtime server's internal
 * endpoints: an HMAC of a fixed label keyed with LIVEKIT_API_SECRET, so there is no extra secret
 * to configure and it never equals the secret itself.
 */
export function internalBearer(livekitApiSecret: string): string {
  return createHmac('sha256', livekitApiSecret).update('convene:realtime-internal:v1').digest('base64url');
}

export function isInternalBearer(livekitApiSecret: string, header: string | undefined): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const expected = Buffer.from(internalBearer(livekitApiSecret));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
