'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { createRoom } from '@/lib/meeting/api-client';
import { parseRoomInput, roomPath } from '@/lib/meeting/room-name';

type TCreateState = { state: 'idle' } | { state: 'creating' } | { state: 'failed'; message: string };

/** "New meeting" and "join by name or link" — the two ways into a room. */
export function Landing() {
  const router = useRouter();
  const [create, setCreate] = useState<TCreateState>({ state: 'idle' });
  const [roomInput, setRoomInput] = useState('');
  const [joinError, setJoinError] = useState<string | null>(null);
  const [isNavigating, setIsNavigating] = useState(false);

  async function onNewMeeting() {
    setCreate({ state: 'creating' });
    const result = await createRoom();
    if (!result.ok) {
      setCreate({ state: 'failed', message: result.error.message });
      return;
    }
    router.push(roomPath(result.data.slug));
  }

  function onJoin(event: FormEvent) {
    event.preventDefault();
    const parsed = parseRoomInput(roomInput);
    if (!parsed.ok) {
      setJoinError(parsed.error);
      return;
    }
    setJoinError(null);
    setIsNavigating(true);
    router.push(roomPath(parsed.slug));
  }

  const isCreating = create.state === 'creating';
  return (
    <main className="cv-landing">
      <section className="cv-landing-card" aria-labelledby="cv-landing-title">
        <div className="cv-brand">
          <span className="cv-brand-mark" aria-hidden="true" />
          Convene
        </div>
        <h1 id="cv-landing-title">Video meetings on your own server</h1>
        <p className="cv-muted">Start a meeting and share the link, or join one by its name.</p>

        <button
          type="button"
          className="cv-button cv-button-primary cv-button-large"
          data-testid="new-meeting"
          onClick={onNewMeeting}
          disabled={isCreating}
        >
          {isCreating ? 'Creating…' : 'New meeting'}
        </button>
        {create.state === 'failed' && (
          <p className="cv-error" role="alert">
            Could not create a meeting: {create.message}
          </p>
        )}

        <p className="cv-divider">or join one</p>

        <form className="cv-join-form" onSubmit={onJoin} noValidate>
          <label htmlFor="cv-room-name" className="cv-label">
            Room name or link
          </label>
          <div className="cv-input-row">
            <input
              id="cv-room-name"
              className="cv-input"
              data-testid="room-name"
              value={roomInput}
              onChange={(e) => {
                setRoomInput(e.target.value);
                if (joinError) setJoinError(null);
              }}
              placeholder="team-sync or https://…/r/team-sync"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              aria-invalid={joinError ? true : undefined}
              aria-describedby={joinError ? 'cv-room-name-error' : undefined}
            />
            <button type="submit" className="cv-button" data-testid="join-room" disabled={isNavigating}>
              Join
            </button>
          </div>
          {joinError && (
            <p id="cv-room-name-error" className="cv-error" role="alert" data-testid="room-name-error">
              {joinError}
            </p>
          )}
        </form>
      </section>
    </main>
  );
}
