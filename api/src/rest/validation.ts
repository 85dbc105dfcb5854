import type { ZodError, ZodType, z } from 'zod';
import { AppError } from '../errors';

export interface TFieldError {
  path: string;
  message: string;
}

/** Zod issues → `{ path, message }` with a dotted field path; an unknown key names the key itself. */
export function fieldErrors(error: ZodError): TFieldError[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: 'unknown field' }));
    }
    return [{ path: base.join('.') || '(body)', message: issue.message }];
  });
}

/** Parses with a schema; failure is a 400 VALIDATION_FAILED naming every bad field. */
export function parseOrThrow<S extends ZodType>(
  schema: S,
  value: unknown,
  what = 'request body',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError('VALIDATION_FAILED', `The ${what} is invalid.`, fieldErrors(result.error));
}

/** Parses a JSON text body; invalid JSON is a 400, never a 500. An empty body is `{}`. */
export function parseJsonText(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The request body is not valid JSON.', [
      { path: '(body)', message: 'invalid JSON' },
    ]);
  }
}
