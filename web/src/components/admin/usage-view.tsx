'use client';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { adminFetch, formatDateTime, formatDuration } from './client';
import { UsageChart } from './usage-chart';

interface TUsage {
  days: number;
  daily: { day: string; participantMinutes: number }[];
  topRooms: {
    slug: string;
    displayName: string;
    sessions: number;
    participantMinutes: number;
    peakParticipants: number;
  }[];
  sessions: {
    id: string;
    room: string;
    startedAt: string;
    endedAt: string | null;
    durationSeconds: number;
    peakParticipants: number;
    attendees: number;
  }[];
}

/** A section whose data has not arrived: loading, or not loaded (the banner above has Retry). */
function Pending({ failed }: { failed: boolean }) {
  return failed ? <p className="adm-empty">Not loaded.</p> : <p className="adm-loading">Loading…</p>;
}

export function UsageView() {
  const [days, setDays] = useState(14);
  const [usage, setUsage] = useState<TUsage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setUsage(await adminFetch<TUsage>(`/api/admin/usage?days=${days}`));
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not load usage.');
    }
  }, [days]);
  useEffect(() => {
    void load();
  }, [load]);

  const total = usage?.daily.reduce((n, d) => n + d.participantMinutes, 0) ?? 0;
  return (
    <>
      <div className="adm-row" style={{ justifyContent: 'space-between' }}>
        <h1 className="adm-h1">History &amp; usage</h1>
        <select
          className="adm-select"
          style={{ width: 'auto' }}
          value={days}
          onChange={(e) => setDays(Number(e.target.value))}
          aria-label="Period"
        >
          <option value={7}>Last 7 days</option>
          <option value={14}>Last 14 days</option>
          <option value={30}>Last 30 days</option>
        </select>
      </div>
      {error ? (
        <div className="adm-card adm-error" role="alert">
          {error}{' '}
          <button className="adm-btn small" type="button" onClick={() => void load()}>
            Retry
          </button>
        </div>
      ) : null}
      <section className="adm-card adm-chart" aria-labelledby="pm">
        <h2 className="adm-h2" id="pm">
          Participant-minutes per day{' '}
          {usage ? <span className="adm-muted">· {Math.round(total)} total</span> : null}
        </h2>
        {!usage ? <Pending failed={error !== null} /> : <UsageChart data={usage.daily} />}
        {usage && total === 0 ? <p className="adm-empty">No meetings in this period yet.</p> : null}
      </section>
      <div className="adm-grid2">
        <section className="adm-card" aria-labelledby="sessions">
          <h2 className="adm-h2" id="sessions">
            Recent sessions
          </h2>
          {!usage ? (
            <Pending failed={error !== null} />
          ) : usage.sessions.length === 0 ? (
            <p className="adm-empty">No sessions yet.</p>
          ) : (
            <div className="adm-scroll">
              <table className="adm-table">
                <thead>
                  <tr>
                    <th>Room</th>
                    <th>Started</th>
                    <th>Duration</th>
                    <th>People</th>
                    <th>Peak</th>
                  </tr>
                </thead>
                <tbody>
                  {usage.sessions.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <Link href={`/admin/rooms/${encodeURIComponent(s.room)}`}>{s.room}</Link>
                      </td>
                      <td>{formatDateTime(s.startedAt)}</td>
                      <td>
                        {s.endedAt ? (
                          formatDuration(s.durationSeconds)
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
        <section className="adm-card" aria-labelledby="top">
          <h2 className="adm-h2" id="top">
            Top rooms
          </h2>
          {!usage ? (
            <Pending failed={error !== null} />
          ) : usage.topRooms.length === 0 ? (
            <p className="adm-empty">No rooms used in this period.</p>
          ) : (
            <table className="adm-table">
              <thead>
                <tr>
                  <th>Room</th>
                  <th>Minutes</th>
                  <th>Sessions</th>
                </tr>
              </thead>
              <tbody>
                {usage.topRooms.map((r) => (
                  <tr key={r.slug}>
                    <td>
                      <Link href={`/admin/rooms/${encodeURIComponent(r.slug)}`}>{r.displayName}</Link>
                    </td>
                    <td>{Math.round(r.participantMinutes)}</td>
                    <td>{r.sessions}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  );
}
