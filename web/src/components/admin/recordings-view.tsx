'use client';
import type { TAdminRecordingsPage, TAdminRecordingView } from '@convene/api/recording/recordings-admin';
import Link from 'next/link';
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { adminFetch, formatDateTime, formatDuration } from './client';
import { ConnLabel, useAdminEvents } from './use-admin-events';

const PAGE_SIZE = 20;
/** Recording events come in bursts (starting → recording); one reload covers a burst. */
const RELOAD_DEBOUNCE_MS = 250;

const STATE_LABEL: Record<TAdminRecordingView['state'], string> = {
  starting: 'starting',
  recording: 'recording',
  stopping: 'stopping',
  ready: 'ready',
  failed: 'failed',
};

const isActive = (r: TAdminRecordingView) =>
  r.state === 'starting' || r.state === 'recording' || r.state === 'stopping';

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

const fileUrl = (id: string, download = false) =>
  `/api/admin/recordings/${encodeURIComponent(id)}/file${download ? '?download=1' : ''}`;

/** Admin → Recordings: every recording, newest first, with inline playback, download and delete. */
export function RecordingsView() {
  const [page, setPage] = useState(1);
  const [list, setList] = useState<TAdminRecordingsPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isLoading, setIsLoading] = useState(true);
  const [playing, setPlaying] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const load = useCallback(async () => {
    setIsLoading(true);
    try {
      const next = await adminFetch<TAdminRecordingsPage>(
        `/api/admin/recordings?page=${page}&pageSize=${PAGE_SIZE}`,
      );
      // Deleting the last row of the last page leaves it empty: step back to a page that exists.
      if (next.data.length === 0 && next.page > 1) {
        setPage(Math.max(1, Math.ceil(next.total / PAGE_SIZE)));
        return;
      }
      setList(next);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not load recordings.');
    } finally {
      setIsLoading(false);
    }
  }, [page]);

  useEffect(() => {
    void load();
  }, [load]);

  // Live: every recording transition (any room, any instance) reloads the page shown; so does a
  // reconnection of the feed, since this view does not replay what it missed.
  const pendingReload = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const scheduleReload = useCallback(() => {
    clearTimeout(pendingReload.current);
    pendingReload.current = setTimeout(() => void load(), RELOAD_DEBOUNCE_MS);
  }, [load]);
  useEffect(() => () => clearTimeout(pendingReload.current), []);
  const conn = useAdminEvents(
    '',
    (e) => {
      if (e.type === 'recording') scheduleReload();
    },
    scheduleReload,
  );

  async function remove(recording: TAdminRecordingView) {
    const what = `the recording of ${recording.room} from ${formatDateTime(recording.startedAt)}`;
    if (!window.confirm(`Delete ${what}? The file is removed from disk and cannot be recovered.`)) return;
    setBusyId(recording.id);
    try {
      await adminFetch(`/api/admin/recordings/${encodeURIComponent(recording.id)}`, { method: 'DELETE' });
      if (playing === recording.id) setPlaying(null);
      setNotice(`Deleted ${what}.`);
      await load();
    } catch (err) {
      setNotice(err instanceof Error ? err.message : 'Could not delete the recording.');
    } finally {
      setBusyId(null);
    }
  }

  const pages = list ? Math.max(1, Math.ceil(list.total / list.pageSize)) : 1;
  return (
    <>
      <div className="adm-row" style={{ justifyContent: 'space-between' }}>
        <h1 className="adm-h1">
          Recordings
          {list ? <span className="adm-badge">{list.total}</span> : null}{' '}
          <span className="adm-conn" data-state={conn} data-testid="sse-state">
            {ConnLabel(conn)}
          </span>
        </h1>
        <span className="adm-muted adm-small adm-rec-notice" role="status" data-testid="recordings-notice">
          {notice}
        </span>
        <button className="adm-btn" type="button" onClick={() => void load()} disabled={isLoading}>
          {isLoading && list ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <section className="adm-card" aria-labelledby="recordings-title" data-testid="recordings">
        <h2 className="adm-h2" id="recordings-title">
          All rooms, newest first
        </h2>
        {error ? (
          <div className="adm-error" role="alert" data-testid="recordings-error">
            {error}{' '}
            <button className="adm-btn small" type="button" onClick={() => void load()}>
              Retry
            </button>
          </div>
        ) : null}
        {!list ? (
          error ? null : (
            <p className="adm-loading" aria-busy="true">
              Loading recordings…
            </p>
          )
        ) : list.data.length === 0 ? (
          <p className="adm-empty" data-testid="recordings-empty">
            No recordings yet. A host starts one with <b>Record</b> in a meeting.
          </p>
        ) : (
          <table className="adm-table adm-rec-table">
            <thead>
              <tr>
                <th scope="col">Room</th>
                <th scope="col">Started by</th>
                <th scope="col">Started</th>
                <th scope="col">State</th>
                <th scope="col">Duration</th>
                <th scope="col">Size</th>
                <th scope="col">People</th>
                <th scope="col">
                  <span className="adm-sr">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((r) => (
                <Fragment key={r.id}>
                  <tr data-testid="recording-row" data-id={r.id} data-state={r.state}>
                    <td data-label="Room" className="adm-rec-room">
                      <Link href={`/admin/rooms/${encodeURIComponent(r.room)}`}>{r.room}</Link>
                    </td>
                    <td data-label="Started by">{r.startedBy.name}</td>
                    <td data-label="Started">
                      <time dateTime={r.startedAt}>{formatDateTime(r.startedAt)}</time>
                    </td>
                    <td data-label="State">
                      <div>
                        <span
                          className="adm-badge adm-rec-state"
                          data-state={r.state}
                          data-testid="recording-state"
                        >
                          {STATE_LABEL[r.state]}
                        </span>
                        {r.state === 'failed' && r.failureReason ? (
                          <span className="adm-rec-reason adm-small" data-testid="recording-failure">
                            {r.failureReason}
                          </span>
                        ) : null}
                      </div>
                    </td>
                    <td data-label="Duration">
                      {r.durationSeconds === null ? '—' : formatDuration(Math.round(r.durationSeconds))}
                    </td>
                    <td data-label="Size">{formatBytes(r.sizeBytes)}</td>
                    <td data-label="People">{r.participantsCount}</td>
                    <td data-label="Actions">
                      <div className="adm-actions">
                        {r.hasFile ? (
                          <>
                            <button
                              type="button"
                              className="adm-btn small"
                              data-testid="recording-play"
                              aria-expanded={playing === r.id}
                              aria-controls={`player-${r.id}`}
                              onClick={() => setPlaying(playing === r.id ? null : r.id)}
                            >
                              {playing === r.id ? 'Close player' : 'Play'}
                            </button>
                            <a
                              className="adm-btn small"
                              data-testid="recording-download"
                              href={fileUrl(r.id, true)}
                              download
                            >
                              Download
                            </a>
                          </>
                        ) : null}
                        <button
                          type="button"
                          className="adm-btn small danger"
                          data-testid="recording-delete"
                          disabled={isActive(r) || busyId === r.id}
                          title={isActive(r) ? 'Stop the recording before deleting it.' : undefined}
                          aria-label={`Delete the recording of ${r.room} from ${formatDateTime(r.startedAt)}`}
                          onClick={() => void remove(r)}
                        >
                          {busyId === r.id ? 'Deleting…' : 'Delete'}
                        </button>
                      </div>
                    </td>
                  </tr>
                  {playing === r.id ? (
                    <tr className="adm-rec-player-row" id={`player-${r.id}`}>
                      <td colSpan={8}>
                        <RecordingPlayer recording={r} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
        {list && list.total > list.pageSize ? (
          <nav className="adm-row adm-pager" aria-label="Recordings pages" data-testid="recordings-pager">
            <button
              type="button"
              className="adm-btn small"
              disabled={page <= 1 || isLoading}
              onClick={() => setPage((p) => Math.max(1, p - 1))}
            >
              Newer
            </button>
            <span className="adm-muted adm-small" aria-live="polite">
              Page {list.page} of {pages}
            </span>
            <button
              type="button"
              className="adm-btn small"
              disabled={page >= pages || isLoading}
              onClick={() => setPage((p) => p + 1)}
            >
              Older
            </button>
          </nav>
        ) : null}
      </section>
    </>
  );
}

/** Inline playback; the file route answers byte ranges, so the browser can seek. */
function RecordingPlayer({ recording }: { recording: TAdminRecordingView }) {
  const [failed, setFailed] = useState(false);
  return (
    <figure className="adm-rec-player">
      {failed ? (
        <p className="adm-error" role="alert">
          This recording could not be played: its file may have been removed from disk.
        </p>
      ) : (
        // biome-ignore lint/a11y/useMediaCaption: meeting recordings have no caption track.
        <video
          data-testid="recording-video"
          controls
          preload="metadata"
          playsInline
          src={fileUrl(recording.id)}
          onError={() => setFailed(true)}
        />
      )}
      <figcaption className="adm-muted adm-small">
        {recording.room} · started by {recording.startedBy.name} · {formatDateTime(recording.startedAt)}
      </figcaption>
    </figure>
  );
}
