'use client';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { adminFetch, formatDuration, formatTime } from './client';
import { ConnLabel, type TFeedEvent, useAdminEvents } from './use-admin-events';

interface TPerson {
  identity: string;
  name: string;
  role: string;
  joinedAt: string;
  /** Latest reported connection quality, if any. */
  quality?: { quality: string; since: string } | null;
  /** Tracks live in the SFU; a publisher has at least one. */
  tracks?: TTrack[];
}
interface TTrack {
  sid: string;
  source: string;
  kind: string;
}
type TRecording =
  | { state: 'idle' }
  | { state: 'starting' | 'recording' | 'stopping' | 'failed'; startedBy: { name: string }; since: number };
interface TLiveRoom {
  slug: string;
  displayName: string;
  locked: boolean;
  startedAt: string;
  /** A participant has stayed poor/lost longer than QUALITY_POOR_FLAG_SECONDS. */
  qualityFlagged: boolean;
  recording: TRecording;
  participants: TPerson[];
}

type TLoad = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready' };

/** Applies one feed event to the room list; idempotent, so a replayed event changes nothing. */
function applyEvent(rooms: TLiveRoom[], e: TFeedEvent): TLiveRoom[] {
  if (!e.room) return rooms;
  const existing = rooms.find((r) => r.slug === e.room);
  const meeting = e.data.meeting as { startedAt?: string } | undefined;
  const ensure = (): TLiveRoom[] =>
    existing
      ? rooms
      : [
          {
            slug: e.room as string,
            displayName: (e.data.displayName as string | undefined) ?? (e.room as string),
            locked: false,
            startedAt: meeting?.startedAt ?? e.at,
            qualityFlagged: false,
            recording: { state: 'idle' },
            participants: [],
          },
          ...rooms,
        ];
  switch (e.type) {
    case 'room.started':
      return ensure();
    case 'room.finished':
      return rooms.filter((r) => r.slug !== e.room);
    case 'participant.joined': {
      const p = e.data.participant as TPerson;
      return ensure().map((r) =>
        r.slug === e.room && !r.participants.some((x) => x.identity === p.identity)
          ? { ...r, participants: [...r.participants, p] }
          : r,
      );
    }
    case 'participant.left': {
      const p = e.data.participant as TPerson;
      return rooms.map((r) =>
        r.slug === e.room
          ? { ...r, participants: r.participants.filter((x) => x.identity !== p.identity) }
          : r,
      );
    }
    case 'room.updated':
      return rooms.map((r) => (r.slug === e.room ? { ...r, locked: Boolean(e.data.locked) } : r));
    case 'room.quality':
      return rooms.map((r) => (r.slug === e.room ? { ...r, qualityFlagged: e.data.flagged === true } : r));
    case 'track.published':
    case 'track.unpublished': {
      const track = e.data.track as TTrack;
      const update = (tracks: TTrack[] = []) =>
        e.type === 'track.published'
          ? tracks.some((t) => t.sid === track.sid)
            ? tracks
            : [...tracks, track]
          : tracks.filter((t) => t.sid !== track.sid);
      return rooms.map((r) =>
        r.slug === e.room
          ? {
              ...r,
              participants: r.participants.map((x) =>
                x.identity === e.data.identity ? { ...x, tracks: update(x.tracks) } : x,
              ),
            }
          : r,
      );
    }
    case 'recording':
      return rooms.map((r) => (r.slug === e.room ? { ...r, recording: e.data.recording as TRecording } : r));
    case 'participant.quality': {
      const q = { quality: String(e.data.quality), since: String(e.data.since ?? e.at) };
      return rooms.map((r) =>
        r.slug === e.room
          ? {
              ...r,
              participants: r.participants.map((x) =>
                x.identity === e.data.identity ? { ...x, quality: q } : x,
              ),
            }
          : r,
      );
    }
    default:
      return rooms;
  }
}

function describe(e: TFeedEvent): string {
  const p = e.data.participant as TPerson | undefined;
  const audit = e.data.audit as
    | { action: string; actor: { label: string }; target: string | null }
    | undefined;
  switch (e.type) {
    case 'room.started':
      return `Meeting started in ${e.room}`;
    case 'room.finished':
      return `Meeting ended in ${e.room}`;
    case 'participant.joined':
      return `${p?.name ?? 'Someone'} joined ${e.room}`;
    case 'participant.left':
      return `${p?.name ?? 'Someone'} left ${e.room}`;
    case 'room.updated':
      return `${e.room} ${e.data.locked ? 'locked' : 'unlocked'}`;
    case 'room.quality':
      return e.data.flagged
        ? `Poor connection quality in ${e.room}`
        : `Connection quality recovered in ${e.room}`;
    case 'track.published': {
      const t = e.data.track as TTrack;
      return `${String(e.data.identity)} published ${t.source.replace(/_/g, ' ')} in ${e.room}`;
    }
    case 'track.unpublished':
      return `${String(e.data.identity)} stopped a track in ${e.room}`;
    case 'recording': {
      const state = (e.data.recording as TRecording).state;
      const words: Record<TRecording['state'], string> = {
        idle: 'Recording finished',
        starting: 'Recording starting',
        recording: 'Recording',
        stopping: 'Recording stopping',
        failed: 'Recording failed',
      };
      return `${words[state]} in ${e.room}`;
    }
    case 'participant.quality':
      return `${String(e.data.identity)}: ${String(e.data.quality)} connection in ${e.room}`;
    case 'moderation':
      return `${audit?.actor.label ?? 'admin'}: ${audit?.action ?? 'action'}${audit?.target ? ` → ${audit.target}` : ''}${e.room ? ` in ${e.room}` : ''}`;
    default:
      return e.type;
  }
}

export function LiveOverview() {
  const [load, setLoad] = useState<TLoad>({ state: 'loading' });
  const [rooms, setRooms] = useState<TLiveRoom[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [feed, setFeed] = useState<TFeedEvent[]>([]);

  const refresh = useCallback(async () => {
    setLoad({ state: 'loading' });
    try {
      const snap = await adminFetch<{ cursor: string; rooms: TLiveRoom[] }>('/api/admin/overview');
      setRooms(snap.rooms);
      setCursor(snap.cursor);
      setLoad({ state: 'ready' });
    } catch (err) {
      setLoad({ state: 'error', message: err instanceof Error ? err.message : 'Could not load.' });
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const conn = useAdminEvents(cursor, (e) => {
    setRooms((r) => applyEvent(r, e));
    setFeed((f) => [e, ...f].slice(0, 100));
  });

  const people = rooms.reduce((n, r) => n + r.participants.length, 0);
  const tracks = rooms.reduce(
    (n, r) => n + r.participants.reduce((k, p) => k + (p.tracks?.length ?? 0), 0),
    0,
  );
  const now = useNow(10_000);
  return (
    <>
      <h1 className="adm-h1">
        Live overview{' '}
        <span className="adm-conn" data-state={conn} data-testid="sse-state">
          {ConnLabel(conn)}
        </span>
      </h1>
      <div className="adm-stats">
        <div className="adm-card adm-stat">
          <b data-testid="live-room-count">{rooms.length}</b>
          <span>live rooms</span>
        </div>
        <div className="adm-card adm-stat">
          <b>{people}</b>
          <span>participants</span>
        </div>
        <div className="adm-card adm-stat">
          <b data-testid="published-track-count">{tracks}</b>
          <span>published tracks</span>
        </div>
        <div className="adm-card adm-stat">
          <b>{rooms.filter((r) => r.locked).length}</b>
          <span>locked</span>
        </div>
        <div className="adm-card adm-stat">
          <b data-testid="quality-flag-count">{rooms.filter((r) => r.qualityFlagged).length}</b>
          <span>poor quality</span>
        </div>
      </div>
      <div className="adm-grid2">
        <section className="adm-card" aria-labelledby="live-rooms">
          <h2 className="adm-h2" id="live-rooms">
            Rooms in progress
          </h2>
          {load.state === 'loading' ? (
            <p className="adm-loading">Loading live rooms…</p>
          ) : load.state === 'error' ? (
            <div className="adm-error" role="alert">
              {load.message}{' '}
              <button className="adm-btn small" type="button" onClick={() => void refresh()}>
                Retry
              </button>
            </div>
          ) : rooms.length === 0 ? (
            <p className="adm-empty">No meetings right now. Rooms appear here the moment someone joins.</p>
          ) : (
            <div className="adm-rooms" data-testid="live-rooms">
              {rooms.map((r) => (
                <Link
                  key={r.slug}
                  className="adm-room"
                  href={`/admin/rooms/${encodeURIComponent(r.slug)}`}
                  data-room={r.slug}
                  data-quality-flagged={r.qualityFlagged ? 'true' : undefined}
                >
                  <div className="adm-room-head">
                    <span className="adm-room-name">{r.displayName}</span>
                    {r.qualityFlagged ? (
                      <span className="adm-badge warn" data-testid="quality-flag">
                        ⚠ poor connection
                      </span>
                    ) : null}
                    <RecordingBadge recording={r.recording} />
                    <span className="adm-badge live">{r.participants.length} in call</span>
                  </div>
                  <div className="adm-muted adm-small">
                    /{r.slug} ·{' '}
                    <span data-testid="room-publishers">
                      {r.participants.filter((p) => (p.tracks?.length ?? 0) > 0).length} publishing
                    </span>{' '}
                    ·{' '}
                    <time dateTime={r.startedAt} title={`since ${formatTime(r.startedAt)}`}>
                      {formatDuration(Math.max(0, Math.round((now - Date.parse(r.startedAt)) / 1000)))}
                    </time>{' '}
                    {r.locked ? '· 🔒 locked' : ''}
                  </div>
                  <ul className="adm-people">
                    {r.participants.slice(0, 8).map((p) => (
                      <li
                        key={p.identity}
                        className="adm-badge"
                        data-quality={p.quality?.quality}
                        title={p.quality ? `connection: ${p.quality.quality}` : undefined}
                      >
                        {p.name}
                        {p.role === 'host' ? ' ★' : ''}
                        {trackIcons(p.tracks)}
                      </li>
                    ))}
                    {r.participants.length > 8 ? (
                      <li className="adm-badge">+{r.participants.length - 8}</li>
                    ) : null}
                  </ul>
                </Link>
              ))}
            </div>
          )}
        </section>
        <section className="adm-card" aria-labelledby="activity">
          <h2 className="adm-h2" id="activity">
            Activity
          </h2>
          {feed.length === 0 ? (
            <p className="adm-empty">Events appear here as they happen.</p>
          ) : (
            <ul className="adm-feed" data-testid="activity">
              {feed.map((e) => (
                <li key={e.id}>
                  <time dateTime={e.at}>{formatTime(e.at)}</time>
                  <span>{describe(e)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}

/** Re-renders every `ms` so durations advance. */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

const SOURCE_ICONS: Record<string, string> = {
  microphone: '🎙',
  camera: '📷',
  screen_share: '🖥',
};

function trackIcons(tracks: TTrack[] = []): string {
  const icons = [...new Set(tracks.map((t) => SOURCE_ICONS[t.source]).filter(Boolean))];
  return icons.length > 0 ? ` ${icons.join('')}` : '';
}

function RecordingBadge({ recording }: { recording: TRecording }) {
  if (recording.state === 'idle') return null;
  const label =
    recording.state === 'failed'
      ? 'recording failed'
      : recording.state === 'recording'
        ? '● REC'
        : `${recording.state}…`;
  return (
    <span
      className={`adm-badge ${recording.state === 'recording' || recording.state === 'failed' ? 'warn' : ''}`}
      data-testid="room-recording"
      data-state={recording.state}
      title={`Started by ${recording.startedBy.name}`}
    >
      {label}
    </span>
  );
}
