'use client';

import type { TParticipant } from '@convene/api/realtime/contract';
import type { TRole } from '@convene/api/tokens/policy';
import { useRef } from 'react';
import { initials } from '@/lib/meeting/initials';
import type { TRealtimeClient, TRealtimeSnapshot } from '@/lib/realtime/client';
import { HandQueue } from './hand-queue';
import { HandIcon } from './icons';

export type TPresenceState = 'present' | 'reconnecting' | 'left';
export interface TRosterEntry {
  identity: string;
  name: string;
  role: TRole;
  state: TPresenceState;
  joinedAt: number;
}

const ROLE_LABEL: Record<TRole, string> = { host: 'Host', participant: 'Participant', viewer: 'Viewer' };
const STATE_LABEL: Record<TPresenceState, string> = {
  present: 'In the meeting',
  reconnecting: 'Reconnecting…',
  left: 'Left',
};

/**
 * Everyone seen in this meeting: the server's presence plus those who left (the core forgets
 * them). While our own link is down the last known states are kept instead of emptying the list.
 */
export function useRoster(snapshot: TRealtimeSnapshot): TRosterEntry[] {
  const known = useRef(new Map<string, TRosterEntry>());
  if (snapshot.status === 'connected' && snapshot.self) {
    const present = new Map<string, TParticipant>(snapshot.participants.map((p) => [p.identity, p]));
    for (const [identity, entry] of known.current) {
      if (!present.has(identity) && entry.state !== 'left')
        known.current.set(identity, { ...entry, state: 'left' });
    }
    for (const p of present.values()) {
      known.current.set(p.identity, {
        identity: p.identity,
        name: p.name,
        role: p.role,
        state: p.status === 'online' ? 'present' : 'reconnecting',
        joinedAt: p.joinedAt,
      });
    }
  }
  const order: Record<TPresenceState, number> = { present: 0, reconnecting: 1, left: 2 };
  return [...known.current.values()].sort(
    (a, b) => order[a.state] - order[b.state] || a.joinedAt - b.joinedAt || a.name.localeCompare(b.name),
  );
}

export function PeoplePanel({
  client,
  snapshot,
  roster,
}: {
  client: TRealtimeClient | null;
  snapshot: TRealtimeSnapshot;
  roster: TRosterEntry[];
}) {
  const selfIdentity = snapshot.self?.identity ?? null;
  const isHost = snapshot.self?.role === 'host';
  const handPosition = new Map(snapshot.hands.map((h, i) => [h.identity, i + 1]));
  const presentCount = roster.filter((r) => r.state !== 'left').length;

  return (
    <section className="cv-rt-people" data-testid="people-panel" aria-label="People">
      {isHost && <HandQueue client={client} hands={snapshot.hands} roster={roster} />}
      <h3 className="cv-rt-heading">
        In this meeting <span className="cv-muted">{presentCount}</span>
      </h3>
      <ul className="cv-rt-roster">
        {roster.map((entry) => {
          const hand = handPosition.get(entry.identity);
          return (
            <li
              key={entry.identity}
              className="cv-rt-person"
              data-testid="presence-row"
              data-identity={entry.identity}
              data-state={entry.state}
              data-hand={hand ? 'true' : undefined}
            >
              <span className="cv-rt-avatar" aria-hidden="true">
                {initials(entry.name)}
                <span className="cv-rt-presence-dot" data-state={entry.state} />
              </span>
              <span className="cv-rt-person-main">
                <span className="cv-rt-person-name cv-ellipsis">
                  {entry.name}
                  {entry.identity === selfIdentity && <span className="cv-muted"> (you)</span>}
                </span>
                <span className="cv-rt-person-state" data-state={entry.state}>
                  {STATE_LABEL[entry.state]}
                </span>
              </span>
              {hand !== undefined && (
                <span
                  className="cv-rt-hand-marker"
                  title={`Hand raised (#${hand})`}
                  data-testid="hand-marker"
                >
                  <HandIcon />
                  <span className="cv-rt-hand-pos">{hand}</span>
                </span>
              )}
              <span className="cv-badge" data-role={entry.role}>
                {ROLE_LABEL[entry.role]}
              </span>
            </li>
          );
        })}
        {roster.length === 0 && <li className="cv-muted cv-rt-empty">Connecting…</li>}
      </ul>
      {!isHost && snapshot.hands.length > 0 && (
        <p className="cv-muted cv-rt-note">
          {snapshot.hands.length} {snapshot.hands.length === 1 ? 'hand' : 'hands'} raised
        </p>
      )}
    </section>
  );
}
