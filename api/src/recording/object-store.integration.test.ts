/**
 * Recordings that LiveKit Egress uploaded to S3: downloads redirect to a presigned URL that the
 * object store serves (ranges included), and deleting a recording — by hand or by retention —
 * deletes its object with a signed request. S3 itself cannot run here, so a small in-process
 * server plays the bucket (it checks what a real one would need to see: the signature parameters
 * or header, the credential scope, and the object path).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../db/client';
import { createLogger } from '../logger';
import { seedRoom, testDb } from '../realtime/testing';
import { recordingDownloadResponse } from './file-response';
import { PRESIGNED_URL_SECONDS, S3ObjectStore } from './object-store';
import { deleteRecordingFile } from './recording-files';
import { sweepExpiredRecordings } from './retention';

const BUCKET = 'convene-recordings';
const OBJECT = Buffer.from('0123456789'.repeat(100));
const requests: { method: string; url: URL; authorization: string | undefined }[] = [];
const objects = new Map<string, Buffer>();
let bucketServer: Server;
let endpoint: string;
let db: Db;

function serveBucket(req: IncomingMessage, res: import('node:http').ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://bucket.test');
  requests.push({ method: req.method ?? '', url, authorization: req.headers.authorization });
  const signed =
    url.searchParams.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256' ||
    req.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ');
  if (!signed) return res.writeHead(403).end('unsigned');
  const key = decodeURIComponent(url.pathname.slice(`/${BUCKET}/`.length));
  const body = objects.get(key);
  if (req.method === 'DELETE') {
    objects.delete(key);
    return res.writeHead(204).end();
  }
  if (!body) return res.writeHead(404).end();
  const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
  if (range) {
    const [start, end] = [Number(range[1]), Number(range[2])];
    res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${body.length}` });
    return res.end(body.subarray(start, end + 1));
  }
  res.writeHead(200, { 'content-length': body.length }).end(body);
}

function store() {
  return new S3ObjectStore({
    bucket: BUCKET,
    region: 'eu-west-3',
    endpoint,
    accessKey: 'AKIACONVENETEST',
    secret: 'test-secret-key',
    forcePathStyle: true,
  });
}

beforeAll(async () => {
  db = testDb();
  bucketServer = createServer(serveBucket);
  await new Promise<void>((resolve) => bucketServer.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(bucketServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => bucketServer?.close(resolve));
  await db?.$disconnect();
});

describe('recordings in an S3 bucket', () => {
  test('finds the key in every form Egress reports a location, and nothing outside the bucket', () => {
    const s3 = store();
    expect(s3.keyOf(`${endpoint}/${BUCKET}/rooms/a%20b/rec.mp4`)).toBe('rooms/a b/rec.mp4');
    expect(s3.keyOf(`https://${BUCKET}.s3.eu-west-3.amazonaws.com/rooms/rec.mp4`)).toBe('rooms/rec.mp4');
    expect(s3.keyOf(`s3://${BUCKET}/rooms/rec.mp4`)).toBe('rooms/rec.mp4');
    expect(s3.keyOf('https://other-bucket.s3.amazonaws.com/rooms/rec.mp4')).toBeNull();
    expect(s3.keyOf(`${endpoint}/other/rec.mp4`)).toBeNull();
    expect(s3.keyOf('/var/recordings/rec.webm')).toBeNull();
  });

  test('a download is a 302 to a presigned URL that serves the object and its byte ranges', async () => {
    objects.set('rooms/r1/rec.mp4', OBJECT);
    const location = `${endpoint}/${BUCKET}/rooms/r1/rec.mp4`;
    const response = await recordingDownloadResponse(
      location,
      { range: null, fileName: 'r1-2026-11-28.mp4', disposition: 'attachment' },
      store(),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const target = new URL(response.headers.get('location')!);
    expect(target.origin + target.pathname).toBe(location);
    expect(target.searchParams.get('X-Amz-Expires')).toBe(String(PRESIGNED_URL_SECONDS));
    expect(target.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIACONVENETEST\/\d{8}\/eu-west-3\/s3\/aws4_request$/,
    );
    expect(target.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(target.searchParams.get('response-content-disposition')).toBe(
      'attachment; filename="r1-2026-11-28.mp4"',
    );
    // The browser follows it; the object store answers, ranges included.
    expect(Buffer.from(await (await fetch(target)).arrayBuffer())).toEqual(OBJECT);
    const partial = await fetch(target, { headers: { range: 'bytes=10-19' } });
    expect(partial.status).toBe(206);
    expect(await partial.text()).toBe('0123456789');
  });

  test('a location in a bucket this server has no credentials for is NOT_FOUND, not a broken link', async () => {
    await expect(
      recordingDownloadResponse(
        'https://someone-else.s3.amazonaws.com/rec.mp4',
        { range: null, fileName: 'x.mp4', disposition: 'attachment' },
        store(),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      recordingDownloadResponse(
        `${endpoint}/${BUCKET}/rec.mp4`,
        { range: null, fileName: 'x.mp4', disposition: 'attachment' },
        null,
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('deleting a recording, and the retention sweep, delete its object with a signed request', async () => {
    objects.set('rooms/r2/rec.mp4', OBJECT);
    await deleteRecordingFile(`${endpoint}/${BUCKET}/rooms/r2/rec.mp4`, store());
    expect(objects.has('rooms/r2/rec.mp4')).toBe(false);
    const del = requests.filter((r) => r.method === 'DELETE').at(-1)!;
    expect(del.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIACONVENETEST\/\d{8}\/eu-west-3\/s3\/aws4_request/,
    );

    const room = await seedRoom(db, 'rec-s3');
    const roomId = (await db.room.findUniqueOrThrow({ where: { slug: room } })).id;
    objects.set('rooms/r3/old.mp4', OBJECT);
    const old = new Date(Date.now() - 10 * 86_400_000);
    const row = await db.recording.create({
      data: {
        roomId,
        state: 'ready',
        startedBy: 'host',
        startedByName: 'Host',
        recorder: 'egress',
        filePath: `${endpoint}/${BUCKET}/rooms/r3/old.mp4`,
        startedAt: old,
        endedAt: old,
      },
    });
    const deleted = await sweepExpiredRecordings(db, {
      retentionDays: 7,
      logger: createLogger('silent'),
      objectStore: store(),
    });
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(objects.has('rooms/r3/old.mp4')).toBe(false);
    expect(await db.recording.findUnique({ where: { id: row.id } })).toBeNull();
  });
});
