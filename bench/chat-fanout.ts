/**
 * Chat fan-out in one room of N clients (default 50): our full path (token auth, validation,
 * rate limit, persistence with group commit, broadcast) against a bare Socket.IO server
 * broadcasting the same payload and a bare `ws` relay — same machine, same run. Each server runs
 * in its own process; the clients share this one. Closed loop: S senders, each sending its next
 * message when the previous one is acknowledged (ws: when its own echo returns).
 *
 * Run: `npm run bench` or `node --import tsx bench/chat-fanout.ts`. Needs PostgreSQL (admin URL
 * from BENCH_DATABASE_URL / DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres;
 * a scratch database is created); uses REDIS_URL for an extra multi-instance-ready row when set.
 * Writes its section of BENCHMARKS.md.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { createDb } from '../api/src/db/client';
import { issueJoinToken } from '../api/src/tokens/issue-join-token';
import { percentile, startServer, stopServer, writeBenchmarkSection } from './lib';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
/** Scenarios: how many of the clients send (all of them: everyone talks; 10: latency-bound). */
const SCENARIOS = (process.env.BENCH_SENDERS ?? '50,10').split(',').map(Number);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1500);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONVENE = 'Convene (auth, validate, persist, broadcast)';
const CONVENE_REDIS = 'Convene + Redis Streams adapter';
const KEYS = { apiKey: 'benchkey', apiSecret: 'bench-secret-that-is-at-least-32-characters' };

interface TResult {
  name: string;
  messages: number;
  deliveries: number;
  seconds: number;
  p50: number;
  p99: number;
}

interface TTransport {
  /** Sends one message; resolves when the sender may send the next. */
  send(sender: number, text: string): Promise<void>;
  onMessage(client: number, handler: (text: string) => void): void;
  close(): void;
}

interface TSummary extends TResult {
  min: number;
  max: number;
}

/** The round with the median delivery rate, plus the spread over rounds. */
function medianOf(name: string, runs: TResult[]): TSummary {
  const rate = (r: TResult) => r.deliveries / r.seconds;
  const sorted = [...runs].sort((a, b) => rate(a) - rate(b));
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return { ...median, name, min: rate(sorted[0]!), max: rate(sorted.at(-1)!) };
}

async function measure(name: string, transport: TTransport, senderCount: number): Promise<TResult> {
  const latencies: number[] = [];
  let deliveries = 0;
  let messages = 0;
  const start = performance.now() + WARMUP_MS;
  const end = start + MEASURE_MS;
  for (let c = 0; c < CLIENTS; c++) {
    transport.onMessage(c, (text) => {
      const sentAt = Number(text.slice(0, text.indexOf('|')));
      if (sentAt < start || sentAt >= end) return;
      deliveries += 1;
      latencies.push(performance.now() - sentAt);
    });
  }
  let seq = 0;
  const senders = Array.from({ length: senderCount }, async (_, s) => {
    while (performance.now() < end) {
      const now = performance.now();
      seq += 1;
      if (now >= start) messages += 1;
      await transport.send(s, `${now}|sender ${s} message ${seq} ${'lorem ipsum '.repeat(4)}`);
    }
  });
  await Promise.all(senders);
  await new Promise((r) => setTimeout(r, 500)); // let the last broadcasts land
  transport.close();
  const sorted = Float64Array.from(latencies).sort();
  return {
    name,
    messages,
    deliveries,
    seconds: MEASURE_MS / 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

function waitConnected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

async function socketIoTransport(url: string, tokens: string[] | null): Promise<TTransport> {
  const sockets = Array.from({ length: CLIENTS }, (_, i) =>
    io(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: tokens ? { token: tokens[i] } : {},
    }),
  );
  await Promise.all(sockets.map(waitConnected));
  let n = 0;
  return {
    send(sender, text) {
      n += 1;
      return new Promise((resolve, reject) => {
        sockets[sender]!.emit(
          'chat:send',
          { clientId: `bench-${sender}-${n}`, text },
          (r: { ok: boolean }) => (r.ok ? resolve() : reject(new Error(JSON.stringify(r)))),
        );
      });
    },
    onMessage(client, handler) {
      sockets[client]!.on('chat:message', (m: { text: string }) => handler(m.text));
    },
    close() {
      for (const s of sockets) s.close();
    },
  };
}

async function wsTransport(url: string): Promise<TTransport> {
  const sockets = Array.from({ length: CLIENTS }, () => new WebSocket(url));
  await Promise.all(
    sockets.map((s) => new Promise((resolve, reject) => s.once('open', resolve).once('error', reject))),
  );
  const waiting = new Map<string, () => void>();
  const handlers: ((text: string) => void)[] = [];
  sockets.forEach((socket, c) => {
    socket.on('message', (data) => {
      const { clientId, text } = JSON.parse(data.toString()) as { clientId: string; text: string };
      handlers[c]?.(text);
      // The sender's own echo is its "ack".
      if (clientId.startsWith(`bench-${c}-`)) {
        const done = waiting.get(clientId);
        waiting.delete(clientId);
        done?.();
      }
    });
  });
  let n = 0;
  return {
    send(sender, text) {
      n += 1;
      const clientId = `bench-${sender}-${n}`;
      return new Promise((resolve) => {
        waiting.set(clientId, resolve);
        sockets[sender]!.send(JSON.stringify({ clientId, text }));
      });
    },
    onMessage(client, handler) {
      handlers[client] = handler;
    },
    close() {
      for (const s of sockets) s.close();
    },
  };
}

async function prepareDatabase(): Promise<string> {
  // @ts-expect-error -- plain ESM helper without types
  const { createScratchDatabase, migrateDatabase } = await import('../scripts/lib/database.mjs');
  const admin =
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DB_ADMIN_URL ??
    'postgresql://postgres@127.0.0.1:5432/postgres';
  const url: string = await createScratchDatabase(admin, 'convene_bench');
  await migrateDatabase(url);
  return url;
}

export async function runChatFanout(): Promise<TSummary[]> {
  const databaseUrl = await prepareDatabase();
  const db = createDb(databaseUrl, { poolSize: 2 });
  const baseEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    LIVEKIT_URL: 'ws://127.0.0.1:7880',
    LIVEKIT_API_KEY: KEYS.apiKey,
    LIVEKIT_API_SECRET: KEYS.apiSecret,
    REDIS_URL: undefined as string | undefined,
  };
  let senderCount = SCENARIOS[0]!;
  let rounds: Record<string, TResult[]> = {};
  const record = (r: TResult) => {
    rounds[r.name] ??= [];
    rounds[r.name]!.push(r);
    console.log(
      `  ${r.name}: ${Math.round(r.deliveries / r.seconds)} deliveries/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`,
    );
  };

  const convene = async (label: string, redisUrl?: string) => {
    const slug = `bench-${Date.now().toString(36)}`;
    await db.room.create({ data: { slug, displayName: slug } });
    const tokens = await Promise.all(
      Array.from(
        { length: CLIENTS },
        async (_, i) =>
          (
            await issueJoinToken(KEYS, {
              room: slug,
              identity: `c${i}`,
              name: `Client ${i}`,
              role: 'participant',
              ttlSeconds: 600,
            })
          ).token,
      ),
    );
    const { port, child } = await startServer('convene', {
      ...baseEnv,
      REDIS_URL: redisUrl,
      BENCH_REDIS_PREFIX: `bench-${Date.now()}`,
    });
    try {
      const result = await measure(
        label,
        await socketIoTransport(`http://127.0.0.1:${port}`, tokens),
        senderCount,
      );
      const stored = await db.chatMessage.count({ where: { room: { slug } } });
      if (stored < result.messages)
        throw new Error(`${label}: only ${stored} of ${result.messages} messages stored`);
      record(result);
    } finally {
      await stopServer(child);
    }
  };
  const bareSocketIo = async () => {
    const { port, child } = await startServer('bare-socketio', baseEnv);
    try {
      record(
        await measure(
          'bare Socket.IO',
          await socketIoTransport(`http://127.0.0.1:${port}`, null),
          senderCount,
        ),
      );
    } finally {
      await stopServer(child);
    }
  };
  const bareWs = async () => {
    const { port, child } = await startServer('bare-ws', baseEnv);
    try {
      record(await measure('bare ws', await wsTransport(`ws://127.0.0.1:${port}`), senderCount));
    } finally {
      await stopServer(child);
    }
  };
  const only = process.env.BENCH_ONLY;
  const targets = [
    ...(only ? [] : [bareSocketIo, bareWs]),
    () => convene(CONVENE),
    ...(process.env.REDIS_URL && !only ? [() => convene(CONVENE_REDIS, process.env.REDIS_URL)] : []),
  ];

  const sections: string[] = [];
  const all: TSummary[] = [];
  for (const scenario of SCENARIOS) {
    senderCount = scenario;
    rounds = {};
    console.log(
      `chat fan-out: ${CLIENTS} clients, ${senderCount} senders, ${ROUNDS} rounds × ${MEASURE_MS / 1000}s per server`,
    );
    for (let round = 0; round < ROUNDS; round++) {
      console.log(`round ${round + 1}`);
      // Rotate the order so drift in machine load does not favour one server.
      for (let i = 0; i < targets.length; i++) await targets[(i + round) % targets.length]!();
    }
    const results = Object.entries(rounds).map(([name, runs]) => medianOf(name, runs));
    all.push(...results);
    sections.push(table(results, senderCount));
  }
  await db.$disconnect();
  const markdown = [
    '## Chat fan-out (`bench/chat-fanout.ts`)',
    '',
    `${CLIENTS} clients in one room over WebSocket; N of them send in a closed loop (next message after`,
    'the ack; ws: after the own echo); every message is delivered to all clients. Each server runs in its',
    'own process, the clients in the bench process: same machine, same run. Latency: send → each delivery.',
    `${ROUNDS} rounds of ${MEASURE_MS / 1000} s per server in rotating order; the round with the median rate is shown.`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, run ${new Date().toISOString()}`,
    '(clients, servers and PostgreSQL share the same cores; the range shows the spread over rounds).',
    '',
    ...sections,
    "Convene's path: token-verified handshake, zod validation, token-bucket check, PostgreSQL insert with",
    'the per-room seq, then broadcast. Group commit: one prepared statement per room in flight, and every',
    'message arriving meanwhile rides the next one; nothing is acked before its commit. With few senders',
    'each waiting for its ack, the commit round trip (fsync) bounds the rate: that is the price of "ack',
    'means stored". The bench raises the per-connection rate limit (a sender here far outpaces a typist)',
    'but the bucket is still consulted on every event.',
  ].join('\n');
  const file = writeBenchmarkSection('chat-fanout', markdown);
  console.log(`${markdown}\n\nwritten to ${file}`);
  return all;
}

function table(results: TSummary[], senderCount: number): string {
  const baseline = results.find((r) => r.name === 'bare Socket.IO') ?? results[0]!;
  const rate = (r: TResult) => r.deliveries / r.seconds;
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  return [
    `### ${senderCount} senders`,
    '',
    '| server | deliveries/s (median) | range over rounds | messages/s | p50 ms | p99 ms | vs bare Socket.IO | p50 vs bare Socket.IO | p99 vs bare Socket.IO |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${fmt(rate(r))} | ${fmt(r.min)}–${fmt(r.max)} | ${fmt(r.messages / r.seconds)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(rate(r) / rate(baseline)).toFixed(2)} | ${(r.p50 / baseline.p50).toFixed(2)}× | ${(r.p99 / baseline.p99).toFixed(2)}× |`,
    ),
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runChatFanout().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
