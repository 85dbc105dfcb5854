// Chaos test of the local cluster (infra/local-cluster): 2 LiveKit nodes on one Redis, 2 realtime,
// 2 web, nginx in front. 200 Socket.IO clients (the app's own client core; half WebSocket, half
// long-polling) chat in 10 rooms through nginx while realtime instances are drained (SIGTERM),
// killed (-9) and restarted and Redis is bounced. Run with `npm run test:cluster`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDb, type Db } from '@convene/api/db/client';
import { issueJoinToken } from '@convene/api/tokens/issue-join-token';
import {
  AudioStream,
  type RemoteTrack,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  startLocalCluster,
  type TClusterProcess,
  type TLocalCluster,
} from '../../infra/local-cluster/cluster.mjs';
import { createRealtimeClient, type TRealtimeClient } from '../../web/src/lib/realtime/client';
import { startToneAudio } from '../support/media';
import { updateBenchmarkSection } from './benchmarks';

const CLIENTS = Number(process.env.CLUSTER_CLIENTS ?? 200);
const ROOMS = 10;
const CHAT_SECONDS = Number(process.env.CLUSTER_CHAT_SECONDS ?? 60);
const SEND_EVERY_MS = 4000;
const RECONNECT_BUDGET_MS = 10_000;

let cluster: TLocalCluster;
let db: Db;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  cluster = await startLocalCluster({ drainSpreadMs: 2000, quiet: !process.env.CLUSTER_VERBOSE });
  db = createDb(cluster.databaseUrl, { poolSize: 4 });
}, 240_000);

afterAll(async () => {
  await db?.$disconnect();
  await cluster?.stop();
}, 60_000);

async function token(room: string, identity: string) {
  return (
    await issueJoinToken(cluster.keys, {
      room,
      identity,
      name: identity,
      role: 'participant',
      ttlSeconds: 600,
    })
  ).token;
}

/** Sum of a metric's samples (optionally only those whose labels contain `filter`). */
async function scrape(instance: number, name: string, filter = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${cluster.ports.realtime[instance]}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(filter))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

describe('LiveKit: two nodes on one Redis', () => {
  test('a bot on each node joins the same room and each receives the other’s audio', async () => {
    const roomName = `cluster-media-${Date.now().toString(36)}`;
    const rooms = [new Room(), new Room()];
    const tones = [startToneAudio(440), startToneAudio(660)];
    try {
      // Bot i signals through node i; the room lives on one node and the other forwards to it.
      for (const [i, room] of rooms.entries()) {
        await room.connect(cluster.livekit[i]?.url ?? '', await token(roomName, `bot-${i}`), {
          autoSubscribe: true,
          dynacast: true,
        });
      }
      const received = rooms.map(
        (room) =>
          new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no remote audio within 20 s')), 20_000);
            room.on(RoomEvent.TrackSubscribed, async (track: RemoteTrack) => {
              if (track.kind !== TrackKind.KIND_AUDIO) return;
              let frames = 0;
              let energy = 0;
              for await (const frame of new AudioStream(track, 48_000, 1)) {
                frames++;
                for (const s of frame.data) energy += Math.abs(s);
                if (frames >= 50) break;
              }
              clearTimeout(timer);
              resolve(energy / (frames * 480));
            });
          }),
      );
      for (const [i, room] of rooms.entries()) {
        await room.localParticipant?.publishTrack(
          tones[i]!.track,
          new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE, dtx: false, red: false }),
        );
      }
      const levels = await Promise.all(received);
      // A 0.3-amplitude sine averages ~0.19 × 32767 in absolute value; silence would be ~0.
      for (const level of levels) expect(level).toBeGreaterThan(1000);
      benchmark.mediaAcrossNodes = 'both bots received the other’s tone';
    } finally {
      for (const tone of tones) await tone.stop();
      for (const room of rooms) await room.disconnect();
    }
  }, 60_000);
});

interface TClientStats {
  client: TRealtimeClient;
  room: string;
  identity: string;
  sent: Map<string, number>;
  latencies: number[];
  downSince: number | null;
  outages: number[];
  drainingNotices: number;
  transport: 'websocket' | 'polling';
}

const benchmark: Record<string, string | number> = {};
/** One row per chaos phase: what was done, and how the clients that dropped fared. */
let phaseRows: [string, string][] = [];

describe('realtime chaos through nginx', () => {
  test(`${CLIENTS} clients in ${ROOMS} rooms: drain, kill -9 and Redis restart lose no acked message`, async () => {
    const rooms = await Promise.all(
      Array.from({ length: ROOMS }, async (_, i) => {
        const slug = `cluster-${i}-${Date.now().toString(36)}`;
        await db.room.create({ data: { slug, displayName: slug } });
        return slug;
      }),
    );

    const stats: TClientStats[] = [];
    const disconnectReasons = new Map<string, number>();
    const outageLog: { at: number; ms: number }[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const room = rooms[i % ROOMS] as string;
      const identity = `u${i}`;
      const transport = i % 2 === 0 ? 'websocket' : 'polling';
      const client = createRealtimeClient({
        url: cluster.url,
        getToken: () => token(room, identity),
        transports: [transport],
        backoff: { initialMs: 300, maxMs: 2000, jitter: 0.5 },
        ackTimeoutMs: 8000,
      });
      const s: TClientStats = {
        client,
        room,
        identity,
        sent: new Map(),
        latencies: [],
        downSince: null,
        outages: [],
        drainingNotices: 0,
        transport,
      };
      client.socket.on('disconnect', (reason) => {
        s.downSince ??= Date.now();
        disconnectReasons.set(reason, (disconnectReasons.get(reason) ?? 0) + 1);
      });
      client.socket.on('connect', () => {
        if (s.downSince !== null) {
          s.outages.push(Date.now() - s.downSince);
          outageLog.push({ at: s.downSince, ms: Date.now() - s.downSince });
        }
        s.downSince = null;
      });
      client.socket.on('chat:message', (m) => {
        const at = s.sent.get(m.clientId);
        if (at !== undefined && m.senderIdentity === identity) s.latencies.push(Date.now() - at);
      });
      (client.socket as unknown as { on(e: string, l: () => void): void }).on('server:draining', () => {
        s.drainingNotices++;
      });
      stats.push(s);
    }
    for (const [i, s] of stats.entries()) {
      s.client.connect();
      if (i % 20 === 19) await sleep(100);
    }
    await waitFor(
      () => stats.every((s) => s.client.getSnapshot().status === 'connected'),
      60_000,
      'all connected',
    );
    // Both instances got a share of new sessions (least_conn in nginx).
    const perInstance = [
      await scrape(0, 'convene_realtime_connected_sockets'),
      await scrape(1, 'convene_realtime_connected_sockets'),
    ];
    benchmark.initialSplit = perInstance.join(' / ');
    expect(Math.min(...perInstance)).toBeGreaterThan(CLIENTS / 10);

    // Chat: every client sends one message every SEND_EVERY_MS, at its own phase.
    let chatting = true;
    let counter = 0;
    const senders = stats.map((s, i) =>
      (async () => {
        await sleep((i * SEND_EVERY_MS) / CLIENTS);
        while (chatting) {
          const clientId = s.client.sendMessage(`${s.identity} #${counter++}`);
          s.sent.set(clientId, Date.now());
          await sleep(SEND_EVERY_MS);
        }
      })(),
    );
    const chatStarted = Date.now();
    const at = (seconds: number) => sleep(Math.max(0, chatStarted + seconds * 1000 - Date.now()));
    const events0 = [
      await scrape(0, 'convene_realtime_events_total', 'event="chat:send"'),
      await scrape(1, 'convene_realtime_events_total', 'event="chat:send"'),
    ];

    const phases: { name: string; at: number; downMs?: number }[] = [];
    /** SIGTERM, watching readiness and the drain gauge flip, then restart on the same port. */
    const drainAndRestart = async (index: number) => {
      const instance = cluster.realtime[index] as TClusterProcess;
      const before = await scrape(index, 'convene_realtime_events_total', 'event="chat:send"');
      expect(before, `${instance.name} counted chat:send events`).toBeGreaterThan(events0[index] ?? 0);
      const started = Date.now();
      instance.signal('SIGTERM');
      let sawNotReady = false;
      const seen: string[] = [];
      let sawDrainingGauge = false;
      const watch = (async () => {
        while (instance.service.child.exitCode === null && instance.service.child.signalCode === null) {
          try {
            const ready = await fetch(`http://127.0.0.1:${cluster.ports.realtime[index]}/readyz`, {
              signal: AbortSignal.timeout(2000),
            });
            const body = (await ready.json()) as { drain: string };
            seen.push(`${Date.now() - started}ms:${ready.status}:${body.drain}`);
            if (ready.status === 503 && body.drain === 'draining') sawNotReady = true;
            if ((await scrape(index, 'convene_draining')) === 1) sawDrainingGauge = true;
          } catch (error) {
            seen.push(`${Date.now() - started}ms:${(error as Error).message}`);
          }
          await sleep(100);
        }
      })();
      await instance.waitExit();
      await watch;
      const drainMs = Date.now() - started;
      expect(
        sawNotReady,
        `${instance.name} /readyz was 503 while draining (${seen.join(', ')}; exit ${instance.service.child.exitCode ?? instance.service.child.signalCode})`,
      ).toBe(true);
      expect(sawDrainingGauge, `${instance.name} convene_draining was 1 while draining`).toBe(true);
      await instance.start();
      phases.push({
        name: `SIGTERM ${instance.name} (drain ${drainMs} ms) + restart`,
        at: started - chatStarted,
      });
    };

    await at(8);
    await drainAndRestart(0);
    await at(22);
    await drainAndRestart(1);
    await at(36);
    {
      const instance = cluster.realtime[0] as TClusterProcess;
      const started = Date.now();
      instance.signal('SIGKILL');
      await instance.waitExit();
      await sleep(1000);
      await instance.start();
      phases.push({ name: `kill -9 ${instance.name} + restart`, at: started - chatStarted });
    }
    await at(46);
    {
      const started = Date.now();
      await cluster.redis.bounce(3000);
      phases.push({ name: 'Redis killed, down 3 s, restarted', at: started - chatStarted });
    }
    await at(CHAT_SECONDS);
    chatting = false;
    await Promise.all(senders);

    // Everything queued gets acked once connections settle.
    await waitFor(
      () =>
        stats.every(
          (s) =>
            s.client.getSnapshot().status === 'connected' &&
            !s.client.getSnapshot().messages.some((m) => m.state !== 'stored'),
        ),
      45_000,
      'every client connected with nothing pending',
    ).catch((error: Error) => {
      const states = new Map<string, number>();
      for (const s of stats) {
        const snap = s.client.getSnapshot();
        const pending = snap.messages.filter((m) => m.state === 'pending').length > 0;
        const key = `${s.transport}:${snap.status}:${snap.error?.code ?? '-'}:pending=${pending}`;
        states.set(key, (states.get(key) ?? 0) + 1);
      }
      throw new Error(
        `${error.message}; phases: ${JSON.stringify(phases)}; clients: ${JSON.stringify([...states])}; disconnects: ${JSON.stringify([...disconnectReasons])}`,
      );
    });

    // --- Durability: what the database holds is what was acked, once each, gapless. ---
    const stored = await db.chatMessage.findMany({
      where: { room: { slug: { in: rooms } } },
      select: { seq: true, clientId: true, senderIdentity: true, room: { select: { slug: true } } },
    });
    const sentIds = new Set(stats.flatMap((s) => [...s.sent.keys()]));
    const storedIds = stored.map((m) => m.clientId);
    const duplicates = storedIds.length - new Set(storedIds).size;
    const lost = [...sentIds].filter((id) => !storedIds.includes(id)).length;
    const failed = stats.flatMap((s) => s.client.getSnapshot().messages.filter((m) => m.state === 'failed'));
    benchmark.sent = sentIds.size;
    benchmark.stored = storedIds.length;
    benchmark.duplicates = duplicates;
    benchmark.lost = lost;
    expect(failed).toEqual([]);
    expect(duplicates).toBe(0);
    expect(lost).toBe(0);
    for (const room of rooms) {
      const seqs = stored
        .filter((m) => m.room.slug === room)
        .map((m) => m.seq)
        .sort((a, b) => a - b);
      expect(seqs, `${room} seqs are gapless`).toEqual(seqs.map((_, i) => (seqs[0] ?? 1) + i));
    }

    // --- Delivery: every client ends with every message of its room (live or replayed by seq). ---
    const byRoom = new Map<string, Set<string>>();
    for (const m of stored) {
      const set = byRoom.get(m.room.slug) ?? new Set<string>();
      set.add(m.clientId);
      byRoom.set(m.room.slug, set);
    }
    let missingDeliveries = 0;
    for (const s of stats) {
      const seen = new Set(
        s.client
          .getSnapshot()
          .messages.filter((m) => m.state === 'stored')
          .map((m) => (m as { clientId: string }).clientId),
      );
      for (const id of byRoom.get(s.room) ?? []) if (!seen.has(id)) missingDeliveries++;
    }
    benchmark.missingDeliveries = missingDeliveries;

    // --- Reconnection and presence. ---
    const outages = stats.flatMap((s) => s.outages).sort((a, b) => a - b);
    const maxOutage = outages.at(-1) ?? 0;
    benchmark.reconnects = outages.length;
    benchmark.reconnectP50 = percentile(outages, 0.5);
    benchmark.reconnectP95 = percentile(outages, 0.95);
    benchmark.reconnectMax = maxOutage;
    benchmark.drainingNotices = stats.reduce((n, s) => n + s.drainingNotices, 0);
    const latencies = stats.flatMap((s) => s.latencies).sort((a, b) => a - b);
    benchmark.latencyP50 = percentile(latencies, 0.5);
    benchmark.latencyP95 = percentile(latencies, 0.95);
    benchmark.latencyP99 = percentile(latencies, 0.99);

    // Worst reconnection of the clients that dropped during each phase (until the next one).
    phaseRows = phases.map((p, i) => {
      const from = chatStarted + p.at;
      const to = chatStarted + (phases[i + 1]?.at ?? Number.POSITIVE_INFINITY);
      const hit = outageLog.filter((o) => o.at >= from && o.at < to);
      const worst = Math.max(0, ...hit.map((o) => o.ms));
      return [
        `t = ${(p.at / 1000).toFixed(0)} s: ${p.name}`,
        `${hit.length} reconnections, worst ${worst} ms`,
      ];
    });
    benchmark.phases = phaseRows.length;

    const expectedPresence = (room: string) =>
      stats
        .filter((s) => s.room === room)
        .map((s) => s.identity)
        .sort();
    let presenceOk = true;
    await waitFor(
      () =>
        stats.every((s) => {
          const present = s.client
            .getSnapshot()
            .participants.filter((p) => p.status === 'online')
            .map((p) => p.identity)
            .sort();
          return JSON.stringify(present) === JSON.stringify(expectedPresence(s.room));
        }),
      20_000,
      'presence of every room correct on every client',
    ).catch(() => {
      presenceOk = false;
    });
    const wrongPresence = stats.filter(
      (s) =>
        JSON.stringify(
          s.client
            .getSnapshot()
            .participants.filter((p) => p.status === 'online')
            .map((p) => p.identity)
            .sort(),
        ) !== JSON.stringify(expectedPresence(s.room)),
    ).length;
    benchmark.presence = presenceOk
      ? 'exact on every client'
      : `wrong on ${wrongPresence} of ${CLIENTS} clients`;

    expect(missingDeliveries).toBe(0);
    expect(wrongPresence, 'clients whose presence list is wrong').toBe(0);
    expect(outages.length).toBeGreaterThan(CLIENTS / 2);
    expect(maxOutage).toBeLessThanOrEqual(RECONNECT_BUDGET_MS);
    for (const s of stats) s.client.close();
  }, 300_000);
});

afterAll(() => {
  // Only a completed chaos run is worth a table.
  if (benchmark.sent === undefined) return;
  const rows: [string, string | number | undefined][] = [
    ['Clients / rooms / transports', `${CLIENTS} / ${ROOMS} / half WebSocket, half long-polling`],
    ['Chat window', `${CHAT_SECONDS} s, one message per client every ${SEND_EVERY_MS / 1000} s`],
    ['Initial split (realtime-1 / realtime-2)', benchmark.initialSplit],
    ...phaseRows,
    ['Messages sent / stored', `${benchmark.sent} / ${benchmark.stored}`],
    ['Acked messages lost', benchmark.lost],
    ['Duplicates', benchmark.duplicates],
    ['Messages missing on a client at the end', benchmark.missingDeliveries],
    ['`server:draining` notices received', benchmark.drainingNotices],
    ['Reconnections', benchmark.reconnects],
    [
      'Reconnect time p50 / p95 / max (ms)',
      `${benchmark.reconnectP50} / ${benchmark.reconnectP95} / ${benchmark.reconnectMax}`,
    ],
    [
      'Send → own echo latency p50 / p95 / p99 (ms)',
      `${benchmark.latencyP50} / ${benchmark.latencyP95} / ${benchmark.latencyP99}`,
    ],
    ['Presence at the end', benchmark.presence],
    ['Media across LiveKit nodes', benchmark.mediaAcrossNodes],
  ];
  const table = [
    '| Measure | Result |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${v ?? '—'} |`),
  ].join('\n');
  const artifacts = process.env.ARTIFACTS_DIR ?? join(import.meta.dirname, '..', '..', '.artifacts');
  try {
    writeFileSync(join(artifacts, 'cluster-chaos.md'), `${table}\n`);
  } catch {
    // no artifacts folder
  }
  updateBenchmarkSection(table);
});

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
