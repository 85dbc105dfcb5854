// The admin console's recordings domain against real Postgres: paging newest first, the file of
// a ready recording, deleting (file, row, audit) and refusing to delete an active one; and the
// public room status the pre-join page polls.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TActor } from '../admin/schemas';
import { createDb } from '../db/client';
import { loadEnv } from '../env';
import { getRoomStatus } from '../rooms/room-status';
import { deleteAdminRecording, getAdminRecordingFile, listAdminRecordings } from './recordings-admin';

const env = loadEnv();
const db = createDb(env.DATABASE_URL, { poolSize: 2 });
const actor: TActor = { type: 'admin', id: randomBytes(8).toString('hex'), label: 'rec-admin@example.test' };
let dir: string;
const roomIds: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convene-rec-admin-'));
});
afterAll(async () => {
  await db.room.deleteMany({ where: { id: { in: roomIds } } });
  await rm(dir, { recursive: true, force: true });
  await db.$disconnect();
});

async function seedRoom(prefix: string) {
  const slug = `${prefix}-${randomBytes(4).toString('hex')}`;
  const room = await db.room.create({ data: { slug, displayName: slug } });
  roomIds.push(room.id);
  return room;
}

/** Far-future start times keep these rows on the first page whatever else the database holds. */
const future = (minutes: number) => new Date(Date.UTC(2199, 0, 1) + minutes * 60_000);

describe('admin recordings', () => {
  test('list: newest first, paged, with duration, size and participants; the file of a ready one', async () => {
    const room = await seedRoom('rec-list');
    const filePath = join(dir, 'ready.webm');
    await writeFile(filePath, Buffer.alloc(2048, 1));
    const base = { roomId: room.id, startedBy: 'p-host', startedByName: 'Ada' };
    const ready = await db.recording.create({
      data: {
        ...base,
        state: 'ready',
        filePath,
        sizeBytes: 2048n,
        durationSeconds: 12.4,
        participants: [
          { identity: 'p-host', name: 'Ada' },
          { identity: 'p-guest', name: 'Grace' },
        ],
        startedAt: future(1),
        endedAt: future(2),
      },
    });
    const failed = await db.recording.create({
      data: { ...base, state: 'failed', failureReason: 'ffmpeg exited with code 1', startedAt: future(2) },
    });
    const active = await db.recording.create({ data: { ...base, state: 'recording', startedAt: future(3) } });

    const first = await listAdminRecordings(db, { page: 1, pageSize: 2 });
    expect(first.data.map((r) => r.id)).toEqual([active.id, failed.id]);
    expect(first.total).toBeGreaterThanOrEqual(3);
    expect(first.data[1]).toMatchObject({
      state: 'failed',
      failureReason: 'ffmpeg exited with code 1',
      hasFile: false,
    });
    const second = await listAdminRecordings(db, { page: 2, pageSize: 2 });
    expect(second.data[0]).toMatchObject({
      id: ready.id,
      room: room.slug,
      state: 'ready',
      startedBy: { identity: 'p-host', name: 'Ada' },
      durationSeconds: 12.4,
      sizeBytes: 2048,
      participantsCount: 2,
      hasFile: true,
      endedAt: future(2).toISOString(),
    });

    const file = await getAdminRecordingFile(db, ready.id);
    expect(file.filePath).toBe(filePath);
    expect(file.fileName).toBe(`${room.slug}-2199-01-01-00-01-00.webm`);
    await expect(getAdminRecordingFile(db, active.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(getAdminRecordingFile(db, 'not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getAdminRecordingFile(db, crypto.randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('delete: an active recording is refused (409) and kept; a ready one loses file, row, and is audited', async () => {
    const room = await seedRoom('rec-del');
    const base = { roomId: room.id, startedBy: 'p-host', startedByName: 'Ada' };
    const activePath = join(dir, 'active.webm');
    await writeFile(activePath, 'still writing');
    const active = await db.recording.create({ data: { ...base, state: 'stopping', filePath: activePath } });
    await expect(deleteAdminRecording(db, actor, active.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(existsSync(activePath)).toBe(true);
    expect(await db.recording.count({ where: { id: active.id } })).toBe(1);

    const readyPath = join(dir, 'done.webm');
    await writeFile(readyPath, Buffer.alloc(100));
    const ready = await db.recording.create({
      data: { ...base, state: 'ready', filePath: readyPath, sizeBytes: 100n },
    });
    await deleteAdminRecording(db, actor, ready.id);
    expect(existsSync(readyPath)).toBe(false);
    expect(await db.recording.count({ where: { id: ready.id } })).toBe(0);
    const audit = await db.auditLog.findFirst({ where: { action: 'recording.delete', target: ready.id } });
    expect(audit).toMatchObject({ actorType: 'admin', actorId: actor.id, roomSlug: room.slug });
    expect(audit?.details).toMatchObject({ state: 'ready', sizeBytes: 100, startedBy: 'Ada' });
    // Already gone: a second delete is a 404, and the audit log is not written twice.
    await expect(deleteAdminRecording(db, actor, ready.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await db.auditLog.count({ where: { action: 'recording.delete', target: ready.id } })).toBe(1);

    // A failed recording whose file never existed is still deletable.
    const failed = await db.recording.create({
      data: { ...base, state: 'failed', filePath: join(dir, 'never-written.webm') },
    });
    await deleteAdminRecording(db, actor, failed.id);
    expect(await db.recording.count({ where: { id: failed.id } })).toBe(0);
  });

  test('room status: unknown rooms are not created; recording is true only while one is active', async () => {
    const unknown = `rec-none-${randomBytes(4).toString('hex')}`;
    expect(await getRoomStatus(db, unknown)).toEqual({
      exists: false,
      recording: false,
      locked: false,
      lobby: false,
    });
    expect(await db.room.count({ where: { slug: unknown } })).toBe(0);

    const room = await seedRoom('rec-status');
    await db.room.update({ where: { id: room.id }, data: { locked: true } });
    expect(await getRoomStatus(db, room.slug)).toEqual({
      exists: true,
      recording: false,
      locked: true,
      lobby: false,
    });
    const rec = await db.recording.create({
      data: { roomId: room.id, startedBy: 'p-host', startedByName: 'Ada', state: 'starting' },
    });
    for (const [state, recording] of [
      ['starting', true],
      ['recording', true],
      ['stopping', true],
      ['ready', false],
      ['failed', false],
    ] as const) {
      await db.recording.update({ where: { id: rec.id }, data: { state } });
      expect((await getRoomStatus(db, room.slug)).recording, state).toBe(recording);
    }
  });
});
