'use client';

import type {
  ClientToServerEvents,
  TAckResult,
  TClientEventName,
  TRoomState,
} from '@convene/api/realtime/contract';
import type { TRole } from '@convene/api/tokens/policy';
import { useMaybeRoomContext } from '@livekit/components-react';
import { useEffect, useState } from 'react';
import { InToolbarMenu, useToolbarMenu } from '@/components/meeting/toolbar-menu';
import { useMeetingSession } from '@/components/meeting/use-meeting-session';
import { useRealtime } from '@/components/realtime/use-realtime';
import { meetingSession } from '@/lib/meeting/session';
import { moderationOutcome } from './moderation-outcome';
import './host.css';

type TNotice = { id: number; text: string; unmute?: { audio: boolean; video: boolean } };

/**
 * In-room host controls and what participants see of moderation: "X muted your microphone",
 * unmute prompts, removal and end screens, live role changes, and (hosts) the room menu, the
 * participant menus and lobby knocks. Everything goes over the realtime link to the one
 * moderation domain; the server decides who may.
 */
export function HostControls() {
  const { client, snapshot } = useRealtime();
  const state = useMeetingSession();
  const session = state.status === 'active' ? state.session : null;
  const room = useMaybeRoomContext();
  const [notices, setNotices] = useState<TNotice[]>([]);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Role, room settings and the lobby live in the realtime client core, which applies every live
  // change whether or not this component was mounted when it arrived.
  const role: TRole | null = snapshot.self?.role ?? session?.role ?? null;
  const isHost = role === 'host';
  const roomState: TRoomState = snapshot.roomState ?? { locked: false, lobbyEnabled: false };
  const waiting = isHost ? snapshot.waiting : [];
  // On phones the room menu's toggle is an item of the toolbar's More menu.
  const { isCompact } = useToolbarMenu();

  useEffect(() => {
    if (!client || !session) return;
    const { socket } = client;
    let next = 0;
    const notify = (text: string, unmute?: TNotice['unmute']) => {
      const id = ++next;
      setNotices((n) => [...n.slice(-2), { id, text, unmute }]);
      if (!unmute) setTimeout(() => setNotices((n) => n.filter((x) => x.id !== id)), 8000);
    };
    const what = (p: { audio: boolean; video: boolean }) =>
      p.audio && p.video ? 'microphone and camera' : p.video ? 'camera' : 'microphone';
    const leave = (kind: 'removed' | 'ended', byName: string) => {
      moderationOutcome.set({ kind, byName });
      void room?.disconnect();
    };
    const handlers = {
      'moderation:muted': (p: { by: { name: string }; audio: boolean; video: boolean }) =>
        notify(`${p.by.name} muted your ${what(p)}`),
      'moderation:unmute-requested': (p: { by: { name: string }; audio: boolean; video: boolean }) =>
        notify(`${p.by.name} asks you to turn on your ${what(p)}`, { audio: p.audio, video: p.video }),
      'moderation:removed': (p: { by: { name: string } }) => leave('removed', p.by.name),
      'room:ended': (p: { by: { name: string } }) => leave('ended', p.by.name),
      // The notice, and the session's role (the header badge, the next token request); the
      // roles components act on come from the snapshot (`presence:update` kind `role`).
      'moderation:role': (p: { identity: string; role: TRole; by: { name: string } }) => {
        const current = meetingSession.get();
        if (current.status !== 'active' || p.identity !== current.session.identity) return;
        meetingSession.set({ ...current.session, role: p.role });
        notify(`${p.by.name} made you ${p.role === 'host' ? 'a host' : `a ${p.role}`}`);
      },
    } as const;
    for (const [event, fn] of Object.entries(handlers)) socket.on(event as never, fn as never);
    return () => {
      for (const [event, fn] of Object.entries(handlers)) socket.off(event as never, fn as never);
    };
  }, [client, session, room]);

  async function act<E extends TClientEventName>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]) {
    if (!client) return;
    setError(null);
    const timed = client.socket.timeout(10_000) as unknown as {
      emit(e: string, p: unknown, cb: (err: Error | null, r: TAckResult<unknown>) => void): void;
    };
    const result = await new Promise<TAckResult<unknown>>((resolve) =>
      timed.emit(event, payload, (err, r) =>
        resolve(err ? { ok: false, error: { code: 'UNAVAILABLE', message: 'No answer. Try again.' } } : r),
      ),
    );
    if (!result.ok) setError(result.error.message);
  }

  async function unmute(notice: TNotice) {
    setNotices((n) => n.filter((x) => x.id !== notice.id));
    const local = room?.localParticipant;
    if (!local || !notice.unmute) return;
    if (notice.unmute.audio) await local.setMicrophoneEnabled(true);
    if (notice.unmute.video) await local.setCameraEnabled(true);
  }

  const others = snapshot.participants.filter((p) => p.identity !== session?.identity);

  return (
    <div className="cv-host">
      <div className="cv-host-notices" aria-live="polite">
        {notices.map((n) => (
          <div key={n.id} className="cv-host-notice" data-testid="moderation-notice">
            <span>{n.text}</span>
            {n.unmute && (
              <>
                <button
                  type="button"
                  className="cv-button"
                  data-testid="unmute-accept"
                  onClick={() => void unmute(n)}
                >
                  Unmute
                </button>
                <button
                  type="button"
                  className="cv-button"
                  onClick={() => setNotices((x) => x.filter((y) => y.id !== n.id))}
                >
                  Not now
                </button>
              </>
            )}
          </div>
        ))}
        {isHost && waiting.length > 0 && (
          <div className="cv-host-notice" data-testid="lobby-knock" data-count={waiting.length}>
            <span>
              {waiting.length === 1
                ? `${waiting[0]!.name} is waiting to join`
                : `${waiting.length} people are waiting to join`}
            </span>
            <button type="button" className="cv-button" onClick={() => setOpen(true)}>
              Review
            </button>
          </div>
        )}
      </div>
      {isHost &&
        (isCompact ? (
          <InToolbarMenu slot="host">
            <button
              type="button"
              role="menuitem"
              className="cv-more-item"
              data-testid="host-menu-toggle"
              onClick={() => setOpen((o) => !o)}
            >
              <span className="cv-more-item-icon" aria-hidden="true">
                ★
              </span>
              {open ? 'Hide host controls' : 'Host controls'}
              {waiting.length > 0 ? ` (${waiting.length} waiting)` : ''}
            </button>
          </InToolbarMenu>
        ) : (
          <button
            type="button"
            className="cv-button"
            data-testid="host-menu-toggle"
            aria-expanded={open}
            onClick={() => setOpen((o) => !o)}
          >
            Host{waiting.length > 0 ? ` (${waiting.length})` : ''}
          </button>
        ))}
      {isHost && open && (
        <section className="cv-host-panel" data-testid="host-panel" aria-label="Host controls">
          {error && (
            <p role="alert" className="cv-host-error">
              {error}
            </p>
          )}
          <h2>Room</h2>
          <div className="cv-host-row">
            <button
              type="button"
              className="cv-button"
              data-testid="host-lock"
              data-locked={roomState.locked}
              onClick={() => void act(roomState.locked ? 'moderation:unlock' : 'moderation:lock', {})}
            >
              {roomState.locked ? 'Unlock room' : 'Lock room'}
            </button>
            <button
              type="button"
              className="cv-button"
              data-testid="host-lobby"
              data-enabled={roomState.lobbyEnabled}
              onClick={() => void act('moderation:lobby', { enabled: !roomState.lobbyEnabled })}
            >
              {roomState.lobbyEnabled ? 'Turn lobby off' : 'Turn lobby on'}
            </button>
            <button
              type="button"
              className="cv-button"
              data-testid="host-mute-all"
              onClick={() => void act('moderation:mute-all', {})}
            >
              Mute all
            </button>
            <button
              type="button"
              className="cv-button cv-button-danger"
              data-testid="host-end"
              onClick={() => {
                if (window.confirm('End the meeting for everyone?')) void act('moderation:end', {});
              }}
            >
              End for all
            </button>
          </div>
          <h2>Waiting ({waiting.length})</h2>
          {waiting.length > 1 && (
            <div className="cv-host-row">
              <button
                type="button"
                className="cv-button"
                data-testid="lobby-admit-all"
                onClick={() => void act('lobby:admit', { all: true })}
              >
                Admit all
              </button>
              <button
                type="button"
                className="cv-button"
                data-testid="lobby-deny-all"
                onClick={() => void act('lobby:deny', { all: true })}
              >
                Deny all
              </button>
            </div>
          )}
          <ul className="cv-host-list">
            {waiting.map((w) => (
              <li key={w.identity} data-testid="lobby-entry" data-name={w.name}>
                <span>{w.name}</span>
                <button
                  type="button"
                  className="cv-button"
                  data-testid="lobby-admit"
                  onClick={() => void act('lobby:admit', { identity: w.identity })}
                >
                  Admit
                </button>
                <button
                  type="button"
                  className="cv-button"
                  data-testid="lobby-deny"
                  onClick={() => void act('lobby:deny', { identity: w.identity })}
                >
                  Deny
                </button>
              </li>
            ))}
          </ul>
          <h2>Participants</h2>
          <ul className="cv-host-list">
            {others.map((p) => (
              <li
                key={p.identity}
                data-testid="host-participant"
                data-identity={p.identity}
                data-name={p.name}
              >
                <span>{p.name}</span>
                <button
                  type="button"
                  className="cv-button"
                  data-testid="host-mute-mic"
                  onClick={() => void act('moderation:mute', { identity: p.identity, audio: true })}
                >
                  Mute mic
                </button>
                <button
                  type="button"
                  className="cv-button"
                  data-testid="host-mute-cam"
                  onClick={() => void act('moderation:mute', { identity: p.identity, video: true })}
                >
                  Stop camera
                </button>
                <button
                  type="button"
                  className="cv-button"
                  data-testid="host-ask-unmute"
                  onClick={() => void act('moderation:ask-unmute', { identity: p.identity, audio: true })}
                >
                  Ask to unmute
                </button>
                <select
                  aria-label={`Role of ${p.name}`}
                  data-testid="host-role"
                  value=""
                  onChange={(e) => {
                    const next = e.target.value as TRole;
                    if (next) void act('moderation:set-role', { identity: p.identity, role: next });
                  }}
                >
                  <option value="">Change role…</option>
                  <option value="host">Make host</option>
                  <option value="participant">Make participant</option>
                  <option value="viewer">Make viewer</option>
                </select>
                <button
                  type="button"
                  className="cv-button cv-button-danger"
                  data-testid="host-remove"
                  onClick={() => void act('moderation:remove', { identity: p.identity })}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
