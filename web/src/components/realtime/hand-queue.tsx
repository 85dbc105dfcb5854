'use client';

import type { THandQueue } from '@convene/api/realtime/contract';
import { useState } from 'react';
import type { TRealtimeClient } from '@/lib/realtime/client';
import type { TRosterEntry } from './people-panel';

/** The host's view of raised hands, first raised first, with a Lower button per person. */
export function HandQueue({
  client,
  hands,
  roster,
}: {
  client: TRealtimeClient | null;
  hands: THandQueue;
  roster: TRosterEntry[];
}) {
  const [error, setError] = useState<string | null>(null);
  const names = new Map(roster.map((r) => [r.identity, r.name]));

  async function lower(identity: string) {
    if (!client) return;
    const result = await client.lowerHand(identity);
    setError(result.ok ? null : result.error.message);
  }

  return (
    <div className="cv-rt-hands" data-testid="hand-queue">
      <h3 className="cv-rt-heading">
        Raised hands <span className="cv-muted">{hands.length}</span>
      </h3>
      {hands.length === 0 ? (
        <p className="cv-muted cv-rt-note">No raised hands.</p>
      ) : (
        <ol className="cv-rt-hand-list">
          {hands.map((hand, index) => (
            <li
              key={hand.identity}
              className="cv-rt-hand-item"
              data-testid="hand-queue-item"
              data-identity={hand.identity}
            >
              <span className="cv-rt-hand-pos">{index + 1}</span>
              <span className="cv-ellipsis cv-rt-hand-name">{names.get(hand.identity) ?? hand.identity}</span>
              <span className="cv-muted cv-rt-hand-time">{formatSince(hand.raisedAt)}</span>
              <button
                type="button"
                className="cv-button cv-button-small"
                data-testid="lower-hand"
                onClick={() => void lower(hand.identity)}
              >
                Lower
              </button>
            </li>
          ))}
        </ol>
      )}
      {error && <p className="cv-error">{error}</p>}
    </div>
  );
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
function formatSince(at: number): string {
  return timeFormat.format(new Date(at));
}
