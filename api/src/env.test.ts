import { describe, expect, test } from 'vitest';
import { parseEnv } from './env';

const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test',
  LIVEKIT_URL: 'ws://127.0.0.1:7880',
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'x'.repeat(32),
};

describe('parseEnv', () => {
  test('applies defaults', () => {
    const env = parseEnv(valid);
    expect(env).toMatchObject({
      PORT: 3000,
      REALTIME_PORT: 4000,
      TOKEN_TTL_SECONDS: 600,
      PUBLIC_URL: 'http://localhost:3000',
    });
    expect(env.ALLOWED_ORIGINS).toContain('http://localhost:3000');
    expect(env.LIVEKIT_PUBLIC_URL).toBe(valid.LIVEKIT_URL);
    expect(env.REALTIME_INTERNAL_URL).toBe('http://127.0.0.1:4000');
  });

  test('outgoing webhook and API defaults: ~24 h of retries, worker on, 600 requests/min', () => {
    const env = parseEnv(valid);
    expect(env).toMatchObject({
      API_RATE_LIMIT_PER_MINUTE: 600,
      WEBHOOK_RETRY_WINDOW_MS: 24 * 3600_000,
      WEBHOOK_WORKER: true,
    });
    expect(
      parseEnv({ ...valid, WEBHOOK_WORKER: 'false', WEBHOOK_ALLOWED_NETWORKS: 'loopback, 10.0.0.0/8' }),
    ).toMatchObject({
      WEBHOOK_WORKER: false,
      WEBHOOK_ALLOWED_NETWORKS: ['loopback', '10.0.0.0/8'],
    });
    expect(() => parseEnv({ ...valid, WEBHOOK_SECRET_KEY: 'short' })).toThrow(/WEBHOOK_SECRET_KEY/);
  });

  test('admin: defaults, and ADMIN_EMAIL/ADMIN_PASSWORD come as a pair with a strong-enough password', () => {
    expect(parseEnv(valid)).toMatchObject({
      ADMIN_SESSION_TTL_HOURS: 12,
      ADMIN_LOGIN_LIMIT_PER_MINUTE: 5,
      ADMIN_SSE_HEARTBEAT_MS: 25_000,
      QUALITY_POOR_FLAG_SECONDS: 30,
    });
    expect(parseEnv({ ...valid, QUALITY_POOR_FLAG_SECONDS: '0.5' })).toMatchObject({
      QUALITY_POOR_FLAG_SECONDS: 0.5,
    });
    expect(() => parseEnv({ ...valid, QUALITY_POOR_FLAG_SECONDS: '0' })).toThrow(/QUALITY_POOR_FLAG_SECONDS/);
    const pair = { ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'correct horse battery' };
    expect(parseEnv({ ...valid, ...pair })).toMatchObject(pair);
    expect(() => parseEnv({ ...valid, ADMIN_EMAIL: 'ops@example.com' })).toThrow(/ADMIN_PASSWORD/);
    expect(() => parseEnv({ ...valid, ...pair, ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD/);
  });

  test.each([
    ['DATABASE_URL', undefined, /DATABASE_URL: is missing/],
    ['LIVEKIT_API_SECRET', 'short', /LIVEKIT_API_SECRET: must be at least 32 characters/],
    ['PORT', 'eighty', /PORT:/],
    ['TOKEN_TTL_SECONDS', '3600', /TOKEN_TTL_SECONDS:/],
  ])('names the bad variable %s', (name, value, message) => {
    expect(() => parseEnv({ ...valid, [name]: value })).toThrow(message);
  });
});

describe('recording settings', () => {
  test('embedded recorder into .data/recordings by default; RECORDER must be embedded, egress or none', () => {
    expect(parseEnv(valid)).toMatchObject({
      RECORDER: 'embedded',
      RECORDINGS_DIR: '.data/recordings',
      FFMPEG_PATH: 'ffmpeg',
    });
    expect(parseEnv({ ...valid, RECORDER: 'none', RECORDINGS_DIR: '/srv/rec' })).toMatchObject({
      RECORDER: 'none',
      RECORDINGS_DIR: '/srv/rec',
    });
    expect(() => parseEnv({ ...valid, RECORDER: 'jibri' })).toThrow(/RECORDER/);
    expect(parseEnv(valid).RECORDINGS_RETENTION_DAYS).toBe(0);
    expect(() => parseEnv({ ...valid, RECORDINGS_RETENTION_DAYS: '-1' })).toThrow(
      /RECORDINGS_RETENTION_DAYS/,
    );
  });

  test('egress to S3 needs a bucket; to a file it defaults to /out/recordings', () => {
    expect(parseEnv({ ...valid, RECORDER: 'egress' })).toMatchObject({
      EGRESS_OUTPUT: 'file',
      EGRESS_FILE_DIR: '/out/recordings',
    });
    expect(() => parseEnv({ ...valid, RECORDER: 'egress', EGRESS_OUTPUT: 's3' })).toThrow(/EGRESS_S3_BUCKET/);
    expect(
      parseEnv({ ...valid, RECORDER: 'egress', EGRESS_OUTPUT: 's3', EGRESS_S3_BUCKET: 'rec' })
        .EGRESS_S3_BUCKET,
    ).toBe('rec');
  });
});
