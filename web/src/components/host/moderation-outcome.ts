import { useSyncExternalStore } from 'react';

/** Why this tab's meeting ended by a host's hand; outlives the room UI (which unmounts on disconnect). */
export type TModerationOutcome = { kind: 'removed' | 'ended'; byName: string } | null;

let outcome: TModerationOutcome = null;
const listeners = new Set<() => void>();

export const moderationOutcome = {
  get: (): TModerationOutcome => outcome,
  set(next: TModerationOutcome) {
    outcome = next;
    for (const l of listeners) l();
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

export function useModerationOutcome(): TModerationOutcome {
  return useSyncExternalStore(moderationOutcome.subscribe, moderationOutcome.get, () => null);
}
