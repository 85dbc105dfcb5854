/**
 * LiveKit webhooks racing a room's deletion: the deleting transaction holds the room (and, by
 * cascade, its meeting) while the webhook is being recorded, then commits. The webhook must end
 * as `ignored`, not as an error (which LiveKit would retry and the route would answer 500).
 */
import type { WebhookEvent } from 'livekit-server-sdk';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Db } from '../db/client';
import { testDb, testEnv, uniqueName } from '../realtime/testing';
import { recordLivekitWebhookEvent } from './record-webhook-event';

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(() => db.$disconnect());

test('room_finished for a room deleted meanwhile is ignored, and the room stays deleted', async () => {
  const slug = uniqueName('lk-race');
  const sid = `RM_${slug}`;
  const room = await db.room.create({ data: { slug, displayName: slug } });
  await db.meeting.create({ data: { roomId: room.id, livekitRoomSid: sid, startedAt: new Date() } });

  const deleter = new pg.Client({ connectionString: testEnv().DATABASE_URL });
  await deleter.connect();
  try {
    await deleter.query('BEGIN');
    await deleter.query('DELETE FROM "Room" WHERE id = $1::uuid', [room.id]);
    // The fields the recorder reads, shaped as the verified webhook delivers them.
    const event = {
      event: 'room_finished',
      id: uniqueName('EV'),
      createdAt: BigInt(Math.floor(Date.now() / 1000)),
      room: { name: slug, sid },
    } as unknown as WebhookEvent;
    const recording = recordLivekitWebhookEvent(db, event);
    // Let the webhook reach the rows the deleter holds, then let the delete win.
    await new Promise((r) => setTimeout(r, 500));
    await deleter.query('COMMIT');
    const outcome = await recording.catch((e: unknown) => `threw ${String((e as { code?: string }).code)}`);
    expect(outcome).toBe('ignored');
  } finally {
    await deleter.end();
  }
  expect(await db.room.findUnique({ where: { slug } })).toBeNull();
});
