import type { TRealtimeSnapshot } from '@/lib/realtime/client';

/** Stored messages from others (system messages included) above the last seq the user had in view. */
export function countUnread(snapshot: TRealtimeSnapshot, seenSeq: number): number {
  const self = snapshot.self?.identity;
  let count = 0;
  for (let i = snapshot.messages.length - 1; i >= 0; i--) {
    const m = snapshot.messages[i]!;
    if (m.state !== 'stored') continue;
    if (m.seq <= seenSeq) break;
    if (m.senderIdentity !== self) count += 1;
  }
  return count;
}

/** "Ada is typing…", "Ada and Grace are typing…", "Ada, Grace and 2 more are typing…". */
export function describeTyping(names: readonly string[]): string {
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} more are typing…`;
}
