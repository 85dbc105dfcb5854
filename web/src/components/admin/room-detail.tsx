'use client';
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { adminFetch, formatDateTime, formatTime } from './client';
import { QualityTimeline, type TQualityHistory } from './quality-timeline';
import { ConnLabel, useAdminEvents } from './use-admin-events';

interface TTrack {
  sid: string;
  kind: string;
  source: string;
  muted: boolean;
  simulcast: boolean;
  layers: { quality: string; width: number; height: number; bitrate: number }[];
}
interface TParticipant {
  identity: string;
  name: string;
  role: string | null;
  state: string;
  joinedAt: string | null;
  tracks: TTrack[];
  /** The realtime service's view (chat link); null when it could not be asked. */
  presence: {
    status: 'online' | 'reconnecting' | 'absent';
    typing: boolean;
    handPosition: number | null;
  } | null;
}
interface TAudit {
  id: string;
  at: string;
  actor: { label: string };
  action: string;
  target: string | null;
}
interface TDetail {
  room: { slug: string; displayName: string; locked: boolean; maxParticipants: number };
  live: boolean;
  participants: TParticipant[];
  chat: { seq: number; kind: string; senderName: string; body: string; createdAt: string }[];
  audit: TAudit[];
  presenceAvailable: boolean;
  quality: TQualityHistory;
}
interface TSession {
  id: string;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number;
  peakParticipants: number;
  attendees: number;
}

type TAction =
  | { kind: 'mute_track'; identity: string; trackSid: string; muted: boolean }
  | { kind: 'remove'; identity: string }
  | { kind: 'lock'; locked: boolean }
  | { kind: 'end' }
  | { kind: 'set_role'; identity: string; role: 'host' | 'participant' | 'viewer' };

function layersLabel(t: TTrack): string {
  if (t.kind !== 'video') return t.kind;
  if (t.layers.length === 0) return 'video';
  return t.layers.map((l) => `${l.quality[0]?.toUpperCase()} ${l.width}×${l.height}`).join(' · ');
}

export function RoomDetail({ slug }: { slug: string }) {
  const [detail, setDetail] = useState<TDetail | null>(null);
  const [sessions, setSessions] = useState<TSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadedAt, setLoadedAt] = useState(0);
  const base = `/api/admin/rooms/${encodeURIComponent(slug)}`;

  const reload = useCallback(async () => {
    try {
      const [d, s] = await Promise.all([
        adminFetch<TDetail>(base),
        adminFetch<{ data: TSession[] }>(`${base}/sessions`),
      ]);
      setDetail(d);
      setLoadedAt(Date.now());
      setSessions(s.data);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not load this room.');
    }
  }, [base]);

  useEffect(() => {
    void reload();
    // The feed cursor: only events from now on are needed (the fetch above is the snapshot).
    void adminFetch<{ cursor: string }>('/api/admin/overview')
      .then((o) => setCursor(o.cursor))
      .catch(() => undefined);
  }, [reload]);

  // LiveKit's participant view (tracks, layers, mutes) changes without events: refresh every 5 s too.
  useEffect(() => {
    const t = setInterval(() => void reload(), 5000);
    return () => clearInterval(t);
  }, [reload]);

  const pending = useRef<NodeJS.Timeout | undefined>(undefined);
  const conn = useAdminEvents(cursor, (e) => {
    if (e.room !== slug) return;
    clearTimeout(pending.current);
    pending.current = setTimeout(() => void reload(), 150);
  });

  async function act(action: TAction, label: string, confirmText?: string) {
    if (confirmText && !window.confirm(confirmText)) return;
    setBusy(label);
    setNotice(null);
    try {
      await adminFetch(`${base}/actions`, { method: 'POST', body: action });
      setNotice(`Done: ${label}.`);
      await reload();
    } catch (err) {
      setNotice(`Failed: ${err instanceof Error ? err.message : 'error'}`);
    } finally {
      setBusy(null);
    }
  }

  if (error && !detail) {
    return (
      <div className="adm-card adm-error" role="alert">
        {error}{' '}
        <button className="adm-btn small" type="button" onClick={() => void reload()}>
          Retry
        </button>
        <p>
          <Link href="/admin">Back to the overview</Link>
        </p>
      </div>
    );
  }
  if (!detail) return <p className="adm-card adm-loading">Loading room…</p>;

  const { room } = detail;
  return (
    <>
      <div className="adm-row" style={{ justifyContent: 'space-between' }}>
        <h1 className="adm-h1">
          {room.displayName}
          <span className={`adm-badge ${detail.live ? 'live' : ''}`}>{detail.live ? 'live' : 'idle'}</span>
          {room.locked ? <span className="adm-badge warn">locked</span> : null}
          <span className="adm-conn" data-state={conn}>
            {ConnLabel(conn)}
          </span>
        </h1>
        <div className="adm-actions">
          <button
            className="adm-btn"
            type="button"
            disabled={busy !== null}
            onClick={() =>
              void act({ kind: 'lock', locked: !room.locked }, room.locked ? 'unlock room' : 'lock room')
            }
          >
            {room.locked ? 'Unlock room' : 'Lock room'}
          </button>
          <button
            className="adm-btn danger"
            type="button"
            disabled={busy !== null || !detail.live}
            onClick={() =>
              void act({ kind: 'end' }, 'end meeting', `End the meeting in ${room.slug} for everyone?`)
            }
          >
            End meeting for all
          </button>
        </div>
      </div>
      <p className="adm-muted adm-small" style={{ margin: 0 }}>
        /{room.slug} · up to {room.maxParticipants} participants{' '}
        {notice ? (
          <span role="status" style={{ color: 'var(--text)' }}>
            · {notice}
          </span>
        ) : null}
      </p>
      <section className="adm-card" aria-labelledby="participants">
        <h2 className="adm-h2" id="participants">
          Participants ({detail.participants.length})
        </h2>
        {!detail.presenceAvailable && detail.participants.length > 0 ? (
          <p className="adm-muted adm-small" role="status" data-testid="presence-unavailable">
            The realtime service did not answer: chat presence is unknown for now.
          </p>
        ) : null}
        {detail.participants.length === 0 ? (
          <p className="adm-empty">Nobody is in this room right now.</p>
        ) : (
          <div className="adm-scroll">
            <table className="adm-table" data-testid="participants">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Role</th>
                  <th className="adm-hide-sm">Joined</th>
                  <th>Tracks (simulcast layers)</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {detail.participants.map((p) => (
                  <tr key={p.identity} data-identity={p.identity}>
                    <td>
                      {p.name}
                      <div className="adm-muted adm-small">
                        <code>{p.identity}</code> · media {p.state} · <PresenceLabel presence={p.presence} />
                      </div>
                    </td>
                    <td>
                      <select
                        className="adm-select"
                        aria-label={`Role of ${p.name}`}
                        value={p.role ?? 'participant'}
                        disabled={busy !== null}
                        onChange={(e) =>
                          void act(
                            { kind: 'set_role', identity: p.identity, role: e.target.value as 'host' },
                            `make ${p.name} ${e.target.value}`,
                          )
                        }
                      >
                        <option value="host">host</option>
                        <option value="participant">participant</option>
                        <option value="viewer">viewer</option>
                      </select>
                    </td>
                    <td className="adm-hide-sm">{formatTime(p.joinedAt)}</td>
                    <td>
                      {p.tracks.length === 0 ? (
                        <span className="adm-muted">none</span>
                      ) : (
                        p.tracks.map((t) => (
                          <div key={t.sid} className="adm-row adm-small" style={{ marginBottom: 4 }}>
                            <span className="adm-badge">{t.source}</span>
                            <span className="adm-muted">{layersLabel(t)}</span>
                            {t.muted ? <span className="adm-badge warn">muted</span> : null}
                            <button
                              className="adm-btn small"
                              type="button"
                              disabled={busy !== null}
                              onClick={() =>
                                void act(
                                  {
                                    kind: 'mute_track',
                                    identity: p.identity,
                                    trackSid: t.sid,
                                    muted: !t.muted,
                                  },
                                  `${t.muted ? 'unmute' : 'mute'} ${p.name}'s ${t.source}`,
                                )
                              }
                            >
                              {t.muted ? 'Unmute' : 'Mute'}
                            </button>
                          </div>
                        ))
                      )}
                    </td>
                    <td>
                      <button
                        className="adm-btn small danger"
                        type="button"
                        disabled={busy !== null}
                        data-action="remove"
                        onClick={() =>
                          void act(
                            { kind: 'remove', identity: p.identity },
                            `remove ${p.name}`,
                            `Remove ${p.name}?`,
                          )
                        }
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="adm-card" aria-labelledby="quality">
        <h2 className="adm-h2" id="quality">
          Connection quality
        </h2>
        <QualityTimeline history={detail.quality} now={loadedAt} />
      </section>
      <div className="adm-grid2">
        <section className="adm-card" aria-labelledby="audit">
          <h2 className="adm-h2" id="audit">
            Audit log
          </h2>
          {detail.audit.length === 0 ? (
            <p className="adm-empty">No moderation actions in this room yet.</p>
          ) : (
            <ul className="adm-feed" data-testid="audit">
              {detail.audit.map((a) => (
                <li key={a.id}>
                  <time dateTime={a.at}>{formatTime(a.at)}</time>
                  <span>
                    {a.actor.label} · <b>{a.action}</b>
                    {a.target ? ` → ${a.target}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="adm-card" aria-labelledby="chat">
          <h2 className="adm-h2" id="chat">
            Chat (latest)
          </h2>
          {detail.chat.length === 0 ? (
            <p className="adm-empty">No messages.</p>
          ) : (
            <ul className="adm-feed">
              {detail.chat.map((m) => (
                <li key={m.seq}>
                  <time dateTime={m.createdAt}>{formatTime(m.createdAt)}</time>
                  <span>
                    <b>{m.kind === 'system' ? 'system' : m.senderName}:</b> {m.body}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section className="adm-card" aria-labelledby="sessions">
        <h2 className="adm-h2" id="sessions">
          Past sessions
        </h2>
        {sessions === null ? (
          <p className="adm-loading">Loading…</p>
        ) : sessions.length === 0 ? (
          <p className="adm-empty">No sessions recorded yet.</p>
        ) : (
          <div className="adm-scroll">
            <table className="adm-table">
              <thead>
                <tr>
                  <th>Started</th>
                  <th>Duration</th>
                  <th>Attendees</th>
                  <th>Peak</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.id}>
                    <td>{formatDateTime(s.startedAt)}</td>
                    <td>
                      {s.endedAt ? (
                        `${Math.round(s.durationSeconds / 60)} min`
                      ) : (
                        <span className="adm-badge live">live</span>
                      )}
                    </td>
                    <td>{s.attendees}</td>
                    <td>{s.peakParticipants}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

/** The chat link's view of a participant: online / reconnecting / no chat link, typing, hand. */
function PresenceLabel({ presence }: { presence: TParticipant['presence'] }) {
  if (!presence)
    return (
      <span data-testid="presence" data-status="unknown">
        chat link unknown
      </span>
    );
  const label =
    presence.status === 'online'
      ? 'chat online'
      : presence.status === 'reconnecting'
        ? 'chat reconnecting…'
        : 'no chat link';
  return (
    <span data-testid="presence" data-status={presence.status} data-hand={presence.handPosition ?? undefined}>
      {label}
      {presence.typing ? ' · typing…' : ''}
      {presence.handPosition ? ` · ✋ #${presence.handPosition}` : ''}
    </span>
  );
}
