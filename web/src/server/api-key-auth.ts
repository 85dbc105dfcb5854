import 'server-only';
import { authenticateApiKey, type TApiPrincipal } from '@convene/api/apikeys/api-keys';
import { AppError, isAppError } from '@convene/api/errors';
import { createFixedWindowCounter } from '@convene/api/rate-limit/fixed-window';
import type { TApiContext } from '@convene/api/rest/api-context';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  requestFingerprint,
} from '@convene/api/rest/idempotency';
import type { TOperation } from '@convene/api/rest/operations';
import { fieldErrors, parseJsonText, parseOrThrow } from '@convene/api/rest/validation';
import { webhookDepsFromEnv } from '@convene/api/webhooks/webhook-runtime';
import { ZodError, type z } from 'zod';
import { serverEnv } from '@/env';
import { webContext } from './context';
import { problem } from './http';

const globalForApi = globalThis as unknown as { conveneApiContext?: TApiContext };

/** REST API v1 dependencies, built once per process on first use. */
export function apiContext(): TApiContext {
  if (!globalForApi.conveneApiContext) {
    const env = serverEnv();
    const { db, logger, livekitKeys, roomAdmin, realtime, moderation } = webContext();
    globalForApi.conveneApiContext = {
      db,
      env,
      logger: logger.child({ module: 'rest-v1' }),
      livekitKeys,
      roomAdmin,
      realtime,
      webhooks: webhookDepsFromEnv(env, db),
      moderation,
      rateLimits: createFixedWindowCounter(env.REDIS_URL, logger.child({ module: 'rate-limit' })),
    };
  }
  return globalForApi.conveneApiContext;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface TApiRequest<B, Q> {
  req: Request;
  params: Record<string, string>;
  body: Out<B>;
  query: Out<Q>;
  principal: TApiPrincipal;
  api: TApiContext;
}

const MAX_BODY_BYTES = 64 * 1024;

/** A JSON response; `null` data → an empty body (204). */
export function reply(status: number, data: unknown): Response {
  return data === null
    ? new Response(null, { status })
    : Response.json(data, { status, headers: { 'cache-control': 'no-store' } });
}

/** Maps anything thrown to problem+json; unknown errors are logged and answered with a bare 500. */
export function errorResponse(error: unknown): Response {
  if (isAppError(error)) {
    if (error.code === 'RATE_LIMITED') {
      const retryAfter =
        (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60;
      return problem(new AppError('RATE_LIMITED', error.message), { 'retry-after': String(retryAfter) });
    }
    return problem(error);
  }
  if (error instanceof ZodError) {
    return problem(new AppError('VALIDATION_FAILED', 'The request is invalid.', fieldErrors(error)));
  }
  apiContext().logger.error({ err: error }, 'unhandled REST API error');
  return problem(new AppError('INTERNAL'));
}

async function readBodyText(req: Request): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
  return text;
}

/**
 * Builds a REST API v1 route handler from its operation: authenticates the API key with the
 * operation's scopes (401 missing/invalid/revoked, 403 scope, 429 rate limit), validates query
 * and body with the operation's zod schemas (the ones the OpenAPI document is generated from),
 * honours `Idempotency-Key` on POSTs, and maps every error to problem+json.
 */
export function withApiKey<B extends z.ZodType | undefined, Q extends z.ZodType | undefined>(
  op: TOperation<B, Q>,
  handler: (ctx: TApiRequest<B, Q>) => Promise<Response>,
) {
  return async (
    req: Request,
    segment: { params: Promise<Record<string, string | string[]>> },
  ): Promise<Response> => {
    try {
      const api = apiContext();
      const principal = await authenticateApiKey(api.db, req.headers.get('authorization'), op.scopes, {
        defaultRateLimitPerMinute: api.env.API_RATE_LIMIT_PER_MINUTE,
        counter: api.rateLimits,
      });
      const params = Object.fromEntries(
        Object.entries((await segment.params) ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join('/') : v]),
      );
      const url = new URL(req.url);
      const query = (
        op.query ? parseOrThrow(op.query, Object.fromEntries(url.searchParams), 'query string') : undefined
      ) as Out<Q>;
      const text = op.method === 'post' || op.method === 'patch' ? await readBodyText(req) : '';
      const run = async (): Promise<Response> => {
        try {
          const body = (op.body ? parseOrThrow(op.body, parseJsonText(text)) : undefined) as Out<B>;
          return await handler({ req, params, body, query, principal, api });
        } catch (error) {
          return errorResponse(error);
        }
      };
      const idempotencyKey = req.headers.get('idempotency-key');
      if (op.method !== 'post' || idempotencyKey === null) return await run();

      const claim = await claimIdempotencyKey(
        api.db,
        principal.apiKeyId,
        idempotencyKey,
        requestFingerprint('POST', url.pathname, text),
      );
      if (claim.kind === 'replay') {
        return new Response(claim.body || null, {
          status: claim.status,
          headers: {
            'content-type': claim.status >= 400 ? 'application/problem+json' : 'application/json',
            'idempotent-replayed': 'true',
          },
        });
      }
      const response = await run();
      if (response.status >= 500) await releaseIdempotencyKey(api.db, claim.id);
      else await completeIdempotencyKey(api.db, claim.id, response.status, await response.clone().text());
      return response;
    } catch (error) {
      return errorResponse(error);
    }
  };
}
