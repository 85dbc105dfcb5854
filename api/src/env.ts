import { z } from 'zod';

/**
 * The only module that reads `process.env` on the server side. Each process (realtime server,
 * Next.js server, CLIs) calls `loadEnv()` once at boot and passes the result down.
 */
const ZBooleanString = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const ZCommaList = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

export const ZEnv = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z.string().url(),
    REDIS_URL: z.string().url().optional(),
    /** Integrator API: default requests per minute per API key (a key may override it). */
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
    /** Encrypts outgoing-webhook endpoint secrets at rest; defaults to a key derived from LIVEKIT_API_SECRET. */
    WEBHOOK_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    /** First retry delay of outgoing webhooks; doubles per attempt (with jitter) up to WEBHOOK_RETRY_MAX_DELAY_MS. */
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5_000),
    WEBHOOK_RETRY_MAX_DELAY_MS: z.coerce
      .number()
      .int()
      .min(10)
      .default(6 * 3600_000),
    /** How long a delivery is retried before it is marked failed (~24 h). */
    WEBHOOK_RETRY_WINDOW_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .default(24 * 3600_000),
    /** An endpoint failing continuously this long is disabled. */
    WEBHOOK_DISABLE_AFTER_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .default(3 * 24 * 3600_000),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    WEBHOOK_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
    /**
     * Private networks outgoing webhooks may reach (comma separated CIDRs, or `loopback`,
     * `private`). Default: loopback only when PUBLIC_URL is a loopback address, else none.
     */
    WEBHOOK_ALLOWED_NETWORKS: ZCommaList.optional(),
    /** The realtime server as the web process reaches it; default http://127.0.0.1:REALTIME_PORT. */
    REALTIME_INTERNAL_URL: z.string().url().optional(),
    /** Set to false to not run the outgoing-webhook worker in this process. */
    WEBHOOK_WORKER: ZBooleanString.default(true),
    /** URL the servers use to reach LiveKit's API (http(s) or ws(s)). */
    LIVEKIT_URL: z.string().url(),
    /** URL browsers use for LiveKit signalling; defaults to LIVEKIT_URL. */
    LIVEKIT_PUBLIC_URL: z.string().url().optional(),
    LIVEKIT_API_KEY: z.string().min(3),
    LIVEKIT_API_SECRET: z.string().min(32, 'must be at least 32 characters'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    REALTIME_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    /** Public origin of the web app, e.g. https://meet.example.com */
    PUBLIC_URL: z.string().url().optional(),
    /** Public URL of the realtime (Socket.IO) server as browsers reach it. */
    REALTIME_PUBLIC_URL: z.string().url().optional(),
    /** Extra browser origins allowed to open realtime connections (comma separated). */
    ALLOWED_ORIGINS: ZCommaList.optional(),
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(600).default(600),
    PRESENCE_GRACE_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
    /** Set behind a TLS-terminating proxy so session cookies get the Secure flag. */
    SECURE_COOKIES: ZBooleanString.optional(),
    /** Names this process in logs and metrics; defaults to `<hostname>-<pid>`. */
    INSTANCE_ID: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" and "-" only (max 64)')
      .optional(),
    /** Upper bound of the SIGTERM drain (stop accepting, move clients, finish acks) before exit. */
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(25),
    /** Clients of a draining instance are moved over this window (spreads the reconnect wave). */
    DRAIN_SPREAD_MS: z.coerce.number().int().min(0).max(120_000).default(3000),
    /** Which recorder the realtime server drives: the embedded one (rtc-node + ffmpeg) or none (state only). */
    RECORDER: z.enum(['embedded', 'egress', 'none']).default('embedded'),
    /** Where the embedded recorder writes its files (created when missing). */
    RECORDINGS_DIR: z.string().min(1).default('.data/recordings'),
    /** Finished recordings (files and rows) older than this are deleted; 0 keeps them forever. */
    RECORDINGS_RETENTION_DAYS: z.coerce.number().min(0).max(36_500).default(0),
    /** RECORDER=egress: where LiveKit Egress writes — a path on the egress worker, or an S3 bucket. */
    EGRESS_OUTPUT: z.enum(['file', 's3']).default('file'),
    /** RECORDER=egress + EGRESS_OUTPUT=file: directory on the egress worker's disk. */
    EGRESS_FILE_DIR: z.string().min(1).default('/out/recordings'),
    EGRESS_S3_BUCKET: z.string().min(1).optional(),
    EGRESS_S3_REGION: z.string().min(1).optional(),
    /** S3-compatible endpoint (MinIO, R2…); empty = AWS. */
    EGRESS_S3_ENDPOINT: z.string().url().optional(),
    EGRESS_S3_ACCESS_KEY: z.string().min(1).optional(),
    EGRESS_S3_SECRET: z.string().min(1).optional(),
    EGRESS_S3_FORCE_PATH_STYLE: ZBooleanString.optional(),
    /** RECORDER=egress: `speaker` shows the active speaker full-frame, `grid` tiles everyone. */
    EGRESS_LAYOUT: z.enum(['speaker', 'grid']).default('speaker'),
    /** The ffmpeg binary the embedded recorder runs. */
    FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
    /** First dashboard admin, created at web start when no admin exists yet (see docs/admin.md). */
    ADMIN_EMAIL: z.string().email().optional(),
    ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(256).optional(),
    /** Lifetime of an admin dashboard session. */
    ADMIN_SESSION_TTL_HOURS: z.coerce.number().min(0.01).max(720).default(12),
    /** Admin login attempts allowed per minute per (client IP, email); more get 429 + Retry-After. */
    ADMIN_LOGIN_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(5),
    /** Interval of the SSE keep-alive comment on /api/admin/events. */
    ADMIN_SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000).default(25_000),
    /** Fallback poll of the admin event log (LISTEN/NOTIFY wakes the feed immediately). */
    ADMIN_EVENT_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
    /** A live room is flagged in the admin overview once a participant reports poor/lost quality for longer than this. */
    QUALITY_POOR_FLAG_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
    /** Bearer token required by the /metrics endpoints when set (scrapers send it). */
    METRICS_TOKEN: z.string().min(16).optional(),
  })
  .refine((e) => e.RECORDER !== 'egress' || e.EGRESS_OUTPUT !== 's3' || e.EGRESS_S3_BUCKET !== undefined, {
    message: 'is required when RECORDER=egress and EGRESS_OUTPUT=s3',
    path: ['EGRESS_S3_BUCKET'],
  })
  .refine((e) => (e.ADMIN_EMAIL === undefined) === (e.ADMIN_PASSWORD === undefined), {
    message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    path: ['ADMIN_PASSWORD'],
  })
  .transform((e) => {
    const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
    const realtimePublicUrl = e.REALTIME_PUBLIC_URL ?? `http://localhost:${e.REALTIME_PORT}`;
    const origin = new URL(publicUrl).origin;
    return {
      ...e,
      PUBLIC_URL: publicUrl,
      REALTIME_PUBLIC_URL: realtimePublicUrl,
      REALTIME_INTERNAL_URL: e.REALTIME_INTERNAL_URL ?? `http://127.0.0.1:${e.REALTIME_PORT}`,
      LIVEKIT_PUBLIC_URL: e.LIVEKIT_PUBLIC_URL ?? e.LIVEKIT_URL,
      ALLOWED_ORIGINS: [...new Set([origin, ...(e.ALLOWED_ORIGINS ?? [])])],
      SECURE_COOKIES: e.SECURE_COOKIES ?? publicUrl.startsWith('https://'),
    };
  });

export type TEnv = z.output<typeof ZEnv>;

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses the environment; throws an EnvError naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const result = ZEnv.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(env)';
    const value = source[name];
    return `  - ${name}: ${value === undefined || value === '' ? 'is missing' : issue.message}`;
  });
  throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
}

let cached: TEnv | undefined;

/** Reads and validates process.env once per process. */
export function loadEnv(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
