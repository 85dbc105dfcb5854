import { AppError } from '../errors';
import type { TVerifiedJoin } from '../tokens/issue-join-token';
import { permissionsFor } from '../tokens/policy';
import type { ChatWriter } from './chat-writer';
import type { TChatMessage, TChatSend, TSystemMessage } from './schemas';

/** The sender of a system message (posted by the web app through the internal endpoint). */
export const SYSTEM_SENDER = { identity: 'system', name: 'Convene' } as const;

/**
 * Stores a participant's message (idempotent by clientId) and returns the stored row, which the
 * caller then broadcasts. Resolves only once the message is committed.
 */
export async function sendMessage(
  writer: ChatWriter,
  sender: { roomId: string; join: TVerifiedJoin },
  input: TChatSend,
): Promise<TChatMessage> {
  if (!permissionsFor(sender.join.role).canChat) throw new AppError('FORBIDDEN');
  return writer.write({
    roomId: sender.roomId,
    senderIdentity: sender.join.identity,
    senderName: sender.join.name,
    kind: 'user',
    text: input.text,
    clientId: input.clientId,
  });
}

/** Stores a system message in a room (idempotent by clientId). */
export function sendSystemMessage(
  writer: ChatWriter,
  roomId: string,
  input: TSystemMessage,
): Promise<TChatMessage> {
  return writer.write({
    roomId,
    senderIdentity: SYSTEM_SENDER.identity,
    senderName: SYSTEM_SENDER.name,
    kind: 'system',
    text: input.text,
    clientId: input.clientId,
  });
}
