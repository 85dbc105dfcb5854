import { describe, expect, test } from 'vitest';
import { parseEnv } from '../env';
import { AppError } from '../errors';
import {
  buildRoomCompositeRequest,
  egressCallError,
  egressFileName,
  egressOutputFromEnv,
} from './egress-recorder';

const ID = '3f2b8c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d';

describe('buildRoomCompositeRequest', () => {
  test('file output: MP4 at <dir>/<room>-<id>.mp4, audio + video, speaker layout by default', () => {
    const request = buildRoomCompositeRequest({
      room: 'weekly-sync',
      recordingId: ID,
      output: { kind: 'file', dir: '/out/recordings/' },
    });
    expect(request.roomName).toBe('weekly-sync');
    // Proto JSON as it goes on the wire: no storage upload, so the worker writes to its disk.
    expect(request.output.file.toJson()).toEqual({
      fileType: 'MP4',
      filepath: `/out/recordings/weekly-sync-${ID}.mp4`,
    });
    expect(request.options).toEqual({
      layout: 'speaker',
      audioOnly: false,
      videoOnly: false,
    });
  });

  test('S3 output: the key is <room>-<id>.mp4 and every S3 setting reaches the S3Upload', () => {
    const request = buildRoomCompositeRequest({
      room: 'weekly-sync',
      recordingId: ID,
      layout: 'grid',
      output: {
        kind: 's3',
        bucket: 'recordings',
        region: 'eu-central-1',
        endpoint: 'http://minio:9000',
        accessKey: 'AKIAEXAMPLE',
        secret: 's3cr3t-example',
        forcePathStyle: true,
      },
    });
    expect(request.output.file.toJson()).toEqual({
      fileType: 'MP4',
      filepath: `weekly-sync-${ID}.mp4`,
      s3: {
        accessKey: 'AKIAEXAMPLE',
        secret: 's3cr3t-example',
        region: 'eu-central-1',
        endpoint: 'http://minio:9000',
        bucket: 'recordings',
        forcePathStyle: true,
      },
    });
    expect(request.options.layout).toBe('grid');
  });

  test('S3 output on AWS: unset endpoint and keys stay empty (the worker uses its own credentials)', () => {
    const request = buildRoomCompositeRequest({
      room: 'r',
      recordingId: ID,
      output: { kind: 's3', bucket: 'b' },
    });
    expect(request.output.file.toJson()).toEqual({
      fileType: 'MP4',
      filepath: `r-${ID}.mp4`,
      s3: { bucket: 'b' },
    });
  });

  test.each([
    ['plain', 'standup', 'standup'],
    ['template braces', '{room_name}', '_room_name_'],
    ['path separators', '../etc/x', '___etc_x'],
  ])('file names cannot carry templates or paths (%s)', (_label, room, safe) => {
    expect(egressFileName(room, ID)).toBe(`${safe}-${ID}.mp4`);
  });
});

describe('egressOutputFromEnv', () => {
  const base = {
    DATABASE_URL: 'postgresql://x@localhost/db',
    LIVEKIT_URL: 'ws://127.0.0.1:7880',
    LIVEKIT_API_KEY: 'devkey',
    LIVEKIT_API_SECRET: 'x'.repeat(32),
    RECORDER: 'egress',
  };

  test('file by default, in EGRESS_FILE_DIR', () => {
    expect(egressOutputFromEnv(parseEnv({ ...base, EGRESS_FILE_DIR: '/data/rec' }))).toEqual({
      kind: 'file',
      dir: '/data/rec',
    });
  });

  test('EGRESS_LAYOUT: speaker by default, grid allowed, anything else refused at boot', () => {
    expect(parseEnv(base).EGRESS_LAYOUT).toBe('speaker');
    expect(parseEnv({ ...base, EGRESS_LAYOUT: 'grid' }).EGRESS_LAYOUT).toBe('grid');
    expect(() => parseEnv({ ...base, EGRESS_LAYOUT: 'mosaic' })).toThrow(/EGRESS_LAYOUT/);
  });

  test('s3 with every EGRESS_S3_* setting', () => {
    const env = parseEnv({
      ...base,
      EGRESS_OUTPUT: 's3',
      EGRESS_S3_BUCKET: 'rec',
      EGRESS_S3_REGION: 'us-east-1',
      EGRESS_S3_ENDPOINT: 'https://s3.example.com',
      EGRESS_S3_ACCESS_KEY: 'AK',
      EGRESS_S3_SECRET: 'SK',
      EGRESS_S3_FORCE_PATH_STYLE: 'true',
    });
    expect(egressOutputFromEnv(env)).toEqual({
      kind: 's3',
      bucket: 'rec',
      region: 'us-east-1',
      endpoint: 'https://s3.example.com',
      accessKey: 'AK',
      secret: 'SK',
      forcePathStyle: true,
    });
  });
});

describe('egressCallError', () => {
  test.each([
    [
      'a Twirp refusal shows the server message',
      Object.assign(new Error('twirp error unknown: requested room does not exist'), { status: 404 }),
      'LiveKit Egress refused to start the recording: requested room does not exist',
    ],
    [
      'a timeout says how long and what to check',
      Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
      'LiveKit Egress did not answer within 2.5 s (is an egress worker running?).',
    ],
    [
      'anything else stays generic (no internals)',
      new TypeError('fetch failed: ECONNREFUSED 10.0.0.3'),
      'LiveKit is unreachable.',
    ],
  ])('%s', (_label, error, message) => {
    const appError = egressCallError(error, 'start', 2500);
    expect(appError).toBeInstanceOf(AppError);
    expect(appError.code).toBe('UNAVAILABLE');
    expect(appError.message).toBe(message);
  });
});
