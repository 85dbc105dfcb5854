/** Participant-minutes per day as an SVG bar chart (no chart library: 30 bars need none). */
export function UsageChart({ data }: { data: { day: string; participantMinutes: number }[] }) {
  const W = 720;
  const H = 220;
  const pad = { l: 44, r: 8, t: 12, b: 28 };
  const max = Math.max(1, ...data.map((d) => d.participantMinutes));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const bw = (W - pad.l - pad.r) / Math.max(1, data.length);
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / top);
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const labelEvery = Math.ceil(data.length / 8);
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label="Participant-minutes per day"
      data-testid="usage-chart"
    >
      {ticks.map((t) => (
        <g key={t}>
          <line x1={pad.l} x2={W - pad.r} y1={y(t)} y2={y(t)} stroke="var(--border)" strokeWidth={1} />
          <text x={pad.l - 6} y={y(t) + 4} textAnchor="end" fontSize={11} fill="var(--muted)">
            {t}
          </text>
        </g>
      ))}
      {data.map((d, i) => {
        const h = y(0) - y(d.participantMinutes);
        return (
          <g key={d.day}>
            <rect
              x={pad.l + i * bw + bw * 0.15}
              y={y(d.participantMinutes)}
              width={bw * 0.7}
              height={Math.max(0, h)}
              rx={3}
              fill="var(--accent)"
            >
              <title>{`${d.day}: ${d.participantMinutes} participant-minutes`}</title>
            </rect>
            {i % labelEvery === 0 ? (
              <text
                x={pad.l + i * bw + bw / 2}
                y={H - 8}
                textAnchor="middle"
                fontSize={11}
                fill="var(--muted)"
              >
                {d.day.slice(5)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

function niceStep(max: number): number {
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}
