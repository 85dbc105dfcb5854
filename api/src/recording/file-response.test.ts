import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseByteRange, recordingFileResponse } from './file-response';

describe('parseByteRange', () => {
  test.each([
    [null, null],
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=100-', { start: 100, end: 999 }],
    ['bytes=-10', { start: 990, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    ['bytes=900-5000', { start: 900, end: 999 }],
    ['bytes=1000-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=5-2', null],
    ['bytes=0-1,5-9', null],
    ['items=0-5', null],
    ['bytes=-', null],
  ] as const)('%s on 1000 bytes → %j', (header, expected) => {
    expect(parseByteRange(header, 1000)).toEqual(expected);
  });
});

describe('recordingFileResponse', () => {
  let dir: string;
  let file: string;
  const content = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'convene-file-'));
    file = join(dir, 'rec.webm');
    await writeFile(file, content);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('the whole file with its length and type', async () => {
    const res = await recordingFileResponse(file, {
      range: null,
      fileName: 'a.webm',
      disposition: 'attachment',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/webm');
    expect(res.headers.get('content-length')).toBe('256');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="a.webm"');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(content);
  });

  test('a range gives 206 with exactly those bytes', async () => {
    const res = await recordingFileResponse(file, {
      range: 'bytes=10-19',
      fileName: 'a.webm',
      disposition: 'inline',
    });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 10-19/256');
    expect(res.headers.get('content-length')).toBe('10');
    expect([...Buffer.from(await res.arrayBuffer())]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  test('a range past the end gives 416 with the size', async () => {
    const res = await recordingFileResponse(file, {
      range: 'bytes=300-',
      fileName: 'a.webm',
      disposition: 'inline',
    });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */256');
  });

  test('a file gone from disk is NOT_FOUND', async () => {
    await expect(
      recordingFileResponse(join(dir, 'missing.webm'), { range: null, fileName: 'x', disposition: 'inline' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
