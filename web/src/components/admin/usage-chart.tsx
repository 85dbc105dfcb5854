'use client';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** Participant-minutes per UTC day as a bar chart (recharts: SVG, responsive, accessible tooltip). */
export function UsageChart({ data }: { data: { day: string; participantMinutes: number }[] }) {
  const rows = data.map((d) => ({ ...d, label: d.day.slice(5) }));
  return (
    <div
      className="adm-usage-chart"
      role="img"
      aria-label="Participant-minutes per day"
      data-testid="usage-chart"
      data-days={rows.length}
    >
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={rows} margin={{ top: 12, right: 8, bottom: 4, left: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis
            dataKey="label"
            tick={{ fill: 'var(--muted)', fontSize: 11 }}
            tickLine={false}
            axisLine={{ stroke: 'var(--border)' }}
            minTickGap={12}
          />
          <YAxis
            width={44}
            allowDecimals={false}
            tick={{ fill: 'var(--muted)', fontSize: 11 }}
            tickLine={false}
            axisLine={false}
          />
          <Tooltip
            cursor={{ fill: 'rgba(255,255,255,0.06)' }}
            contentStyle={{
              background: 'var(--panel-2)',
              border: '1px solid var(--border)',
              borderRadius: 6,
            }}
            labelStyle={{ color: 'var(--muted)' }}
            itemStyle={{ color: 'var(--text)' }}
            formatter={(value) => [`${Math.round(Number(value) * 10) / 10} min`, 'Participant-minutes']}
            labelFormatter={(_, payload) => String(payload?.[0]?.payload?.day ?? '')}
          />
          <Bar
            dataKey="participantMinutes"
            fill="var(--accent)"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
