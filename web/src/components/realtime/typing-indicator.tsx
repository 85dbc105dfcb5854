import type { TParticipant } from '@convene/api/realtime/contract';
import { describeTyping } from './unread';

/** "Ada is typing…" under the chat; the client core clears `typingUntil` when it expires. */
export function TypingIndicator({
  participants,
  selfIdentity,
}: {
  participants: readonly TParticipant[];
  selfIdentity: string | null;
}) {
  const names = participants
    .filter((p) => p.identity !== selfIdentity && p.typingUntil !== null && p.status === 'online')
    .map((p) => p.name);
  // The row keeps its height so the message list does not jump.
  if (names.length === 0) return <div className="cv-rt-typing" aria-hidden="true" />;
  return (
    <div className="cv-rt-typing" data-testid="typing-indicator" role="status">
      <span className="cv-rt-dots" aria-hidden="true">
        <i />
        <i />
        <i />
      </span>
      <span className="cv-ellipsis">{describeTyping(names)}</span>
    </div>
  );
}
