/**
 * Admin SSE fan-out: C concurrent SSE clients (default 1,000) receive a burst of E events
 * (default 100). Convene's feed (events appended to Postgres in a transaction, NOTIFY at commit,
 * the hub reads the log once per wake-up and writes to every client) against a bare node:http
 * SSE fan-out (POST → write to all) — each server in its own process, clients in this one, same
 * run. Latency: the bench's publish call starts → each client parses the frame. RSS: the
 * server process, idle and with all clients after the burst.
 *
 * Run: `node --import tsx bench/sse-fanout.ts` (part of `npm run bench`). Needs PostgreSQL (admin
 * URL from BENCH_DATABASE_URL / DATABASE_URL; a scratch database is created and migrated).
 */
import http from 'node:http';
import { cpus } from 'node:os';
import { publishAdminEvent } from '../api/src/admin/events';
import { createDb } from '../api/src/db/client';
import { percentile, startServer, stopServer, writeBenchmarkSection } from './lib';

const CLIENTS = Number(process.env.BENCH_SSE_CLIENTS ?? 1000);
const EVENTS = Number(process.env.BENCH_SSE_EVENTS ?? 100);
const now = () => performance.timeOrigin + performance.now();

interface TRow {
  name: string;
  p50: number;
  p99: number;
  max: number;
  delivered: number;
  burstMs: number;
  rssIdleMb: number;
  rssLoadedMb: number;
}

async function rss(port: number): Promise<number> {
  const r = (await (await fetch(`http://127.0.0.1:${port}/rss`)).json()) as { rss: number };
  return r.rss / 1024 / 1024;
}

async function connectClients(port: number, onEvent: (sentAt: number) => void) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const requests: http.ClientRequest[] = [];
  let connected = 0;
  await new Promise<void>((resolve, reject) => {
    for (let i = 0; i < CLIENTS; i++) {
      const req = http.get({ host: '127.0.0.1', port, path: '/events', agent }, (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (frame.startsWith(': connected') || frame.includes('\n: connected')) {
              if (++connected === CLIENTS) resolve();
            }
            const data = frame.split('\n').find((l) => l.startsWith('data: '));
            if (data) {
              const parsed = JSON.parse(data.slice(6)) as { t?: number; data?: { t?: number } };
              const t = parsed.t ?? parsed.data?.t;
              if (t) onEvent(t);
            }
            end = buffer.indexOf('\n\n');
          }
        });
      });
      req.on('error', reject);
      requests.push(req);
    }
  });
  return () => {
    for (const r of requests) r.destroy();
    agent.destroy();
  };
}

async function run(
  name: string,
  server: string,
  env: NodeJS.ProcessEnv,
  publisher: (port: number) => (t: number, i: number) => Promise<void>,
): Promise<TRow> {
  const { port, child } = await startServer(server, env);
  const publish = publisher(port);
  try {
    await new Promise((r) => setTimeout(r, 500));
    const rssIdleMb = await rss(port);
    const latencies: number[] = [];
    const close = await connectClients(port, (t) => latencies.push(now() - t));
    await new Promise((r) => setTimeout(r, 500));
    const started = now();
    for (let i = 0; i < EVENTS; i++) await publish(now(), i);
    const deadline = Date.now() + 30_000;
    while (latencies.length < CLIENTS * EVENTS && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const burstMs = now() - started;
    const rssLoadedMb = await rss(port);
    close();
    const sorted = Float64Array.from(latencies).sort();
    return {
      name,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? Number.NaN,
      delivered: latencies.length,
      burstMs,
      rssIdleMb,
      rssLoadedMb,
    };
  } finally {
    await stopServer(child);
  }
}

export async function runSseFanout(): Promise<void> {
  // @ts-expect-error -- plain ESM helper without types
  const { createScratchDatabase, migrateDatabase } = await import('../scripts/lib/database.mjs');
  const adminUrl =
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DB_ADMIN_URL ??
    'postgresql://postgres@127.0.0.1:5432/postgres';
  const benchUrl: string = await createScratchDatabase(adminUrl, 'convene_bench_sse');
  await migrateDatabase(benchUrl);
  const db = createDb(benchUrl, { poolSize: 2 });
  const rows: TRow[] = [];
  const env = { ...process.env, BENCH_DB_URL: benchUrl };
  rows.push(
    await run('bare node:http SSE', 'sse-bare', env, (port) => async (t, i) => {
      await fetch(`http://127.0.0.1:${port}/publish`, { method: 'POST', body: JSON.stringify({ t, i }) });
    }),
  );
  rows.push(
    await run('Convene admin feed (Postgres log + NOTIFY + hub)', 'sse-convene', env, () => async (t, i) => {
      await publishAdminEvent(db, 'room.updated', 'bench', { t, i });
    }),
  );
  await db.$disconnect();

  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
  const base = rows[0]!;
  const ratio = (n: number, of: number) => (Number.isFinite(n / of) ? `${(n / of).toFixed(2)}×` : '—');
  const table = [
    '| server | deliveries | p50 ms | p99 ms | max ms | burst fully delivered in ms | RSS idle MB | RSS with clients MB | p50 vs bare | p99 vs bare | RSS with clients vs bare |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.delivered.toLocaleString('en')} / ${(CLIENTS * EVENTS).toLocaleString('en')} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${fmt(r.burstMs)} | ${fmt(r.rssIdleMb)} | ${fmt(r.rssLoadedMb)} | ${ratio(r.p50, base.p50)} | ${ratio(r.p99, base.p99)} | ${ratio(r.rssLoadedMb, base.rssLoadedMb)} |`,
    ),
  ].join('\n');
  const markdown = `## Admin SSE fan-out (\`bench/sse-fanout.ts\`)

${CLIENTS.toLocaleString('en')} concurrent SSE clients, a burst of ${EVENTS} events published back to back (each publish
awaited). Each server in its own process, the clients in the bench process, same machine, same run.
Latency: publish call starts → the client has parsed the frame. Convene's row is the code under
\`GET /api/admin/events\` (hub + stream) on node:http without Next.js and the session check; a publish is
a Postgres transaction (advisory lock, insert, \`pg_notify\`) and delivery needs the hub's log read;
each event is serialised once for all clients, and the events of one log read reach a client in one write.
Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, run ${new Date().toISOString()}.

${table}
`;
  console.log(markdown);
  writeBenchmarkSection('sse-fanout', markdown);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runSseFanout();
  process.exit(0);
}
