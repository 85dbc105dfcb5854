import { formatTime } from './client';

export type TQualityHistory = Record<string, { quality: string; at: string }[]>;

const LABELS: Record<string, string> = { excellent: 'excellent', good: 'good', poor: 'poor', lost: 'lost' };

/**
 * Per-participant connection quality over time: one bar per identity, a segment per reported
 * quality from its change to the next (the last one runs until `now`), on a shared time axis.
 */
export function QualityTimeline({ history, now }: { history: TQualityHistory; now: number }) {
  const identities = Object.keys(history).sort();
  if (identities.length === 0)
    return <p className="adm-empty">No connection-quality reports yet this meeting.</p>;
  const start = Math.min(...identities.map((id) => Date.parse(history[id]![0]!.at)));
  const span = Math.max(now - start, 1000);
  return (
    <div className="adm-quality" data-testid="quality-timeline">
      {identities.map((identity) => {
        const changes = history[identity]!;
        const latest = changes[changes.length - 1]!;
        return (
          <div
            key={identity}
            className="adm-quality-row"
            data-identity={identity}
            data-latest={latest.quality}
          >
            <code className="adm-quality-who">{identity}</code>
            <div className="adm-quality-bar" role="img" aria-label={describe(identity, changes)}>
              {changes.map((c, i) => {
                const from = Date.parse(c.at);
                const to = i + 1 < changes.length ? Date.parse(changes[i + 1]!.at) : now;
                return (
                  <span
                    key={c.at}
                    className="adm-quality-seg"
                    data-quality={c.quality}
                    title={`${LABELS[c.quality] ?? c.quality} from ${formatTime(c.at)}`}
                    style={{
                      left: `${((from - start) / span) * 100}%`,
                      width: `${Math.max(((to - from) / span) * 100, 0.5)}%`,
                    }}
                  />
                );
              })}
            </div>
            <span className="adm-badge" data-quality={latest.quality}>
              {LABELS[latest.quality] ?? latest.quality}
            </span>
          </div>
        );
      })}
      <div className="adm-muted adm-small">
        {formatTime(new Date(start).toISOString())} → now · green excellent/good, amber poor, red lost
      </div>
    </div>
  );
}

function describe(identity: string, changes: { quality: string; at: string }[]): string {
  return `${identity}: ${changes.map((c) => `${c.quality} at ${formatTime(c.at)}`).join(', ')}`;
}
