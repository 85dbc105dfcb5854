import type { TChatMessage, TSystemMessage } from '../chat/schemas';
import { AppError, ERROR_CATALOG, type ErrorCode } from '../errors';
import { internalBearer } from './internal-auth';

export interface TInternalClientConfig {
  /** Base URL of the realtime server as other processes reach it, e.g. http://127.0.0.1:4000 */
  realtimeUrl: string;
  livekitApiSecret: string;
}

/**
 * Posts a system message into a room: stored (with seq, idempotent by clientId) and broadcast.
 * For the web app's REST API. Throws AppError with the server's code on failure.
 */
export async function postSystemMessage(
  config: TInternalClientConfig,
  room: string,
  message: TSystemMessage,
): Promise<TChatMessage> {
  const url = new URL(`/internal/rooms/${encodeURIComponent(room)}/messages`, config.realtimeUrl);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${internalBearer(config.livekitApiSecret)}`,
      },
      body: JSON.stringify(message),
    });
  } catch {
    throw new AppError('UNAVAILABLE', 'The realtime server is unreachable.');
  }
  const body = (await res.json().catch(() => null)) as { code?: string } | TChatMessage | null;
  if (res.ok) return body as TChatMessage;
  const code = (body as { code?: string } | null)?.code;
  throw new AppError(code && code in ERROR_CATALOG ? (code as ErrorCode) : 'UNAVAILABLE');
}
