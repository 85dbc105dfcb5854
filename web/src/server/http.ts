import 'server-only';
import { AppError, ERROR_CATALOG, httpStatusFor, isAppError } from '@convene/api/errors';
import { ZodError, type ZodType } from 'zod';
import { webContext } from './context';

/** RFC 9457 problem+json body with our stable error code. */
export function problem(error: AppError, extraHeaders: Record<string, string> = {}): Response {
  const status = httpStatusFor(error.code);
  return Response.json(
    {
      type: 'about:blank',
      title: ERROR_CATALOG[error.code].message,
      status,
      code: error.code,
      detail: error.message,
      // A list is field errors (VALIDATION_FAILED); an object is context, e.g. a CONFLICT's state.
      ...(Array.isArray(error.details)
        ? { errors: error.details }
        : error.details && typeof error.details === 'object'
          ? { details: error.details }
          : {}),
    },
    { status, headers: { 'content-type': 'application/problem+json', ...extraHeaders } },
  );
}

export function zodIssues(error: ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}

/** Wraps a route handler: AppError → its status, ZodError → 400 with field paths, anything else → logged 500. */
export function route<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (isAppError(error)) return problem(error);
      if (error instanceof ZodError) {
        return problem(new AppError('VALIDATION_FAILED', 'The request body is invalid.', zodIssues(error)));
      }
      webContext().logger.error({ err: error }, 'unhandled route error');
      return problem(new AppError('INTERNAL'));
    }
  };
}

const MAX_JSON_BYTES = 16 * 1024;

/** Reads and validates a JSON body with a size cap; bad JSON is a 400, never a 500. */
export async function readJson<T>(req: Request, schema: ZodType<T>): Promise<T> {
  const text = await req.text();
  if (text.length > MAX_JSON_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError('VALIDATION_FAILED', 'The request body is not valid JSON.', [
        { path: '(body)', message: 'invalid JSON' },
      ]);
    }
  }
  return schema.parse(value);
}
