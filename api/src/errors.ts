/**
 * The one error vocabulary. Domain code throws `AppError(code)`; HTTP handlers map it through
 * `httpStatusFor`, socket handlers through `toAckError`. Unknown errors never leak details.
 */
export const ERROR_CATALOG = {
  /** The request body, query or event payload failed validation. */
  VALIDATION_FAILED: { status: 400, message: 'The request is invalid.' },
  /** No or invalid credentials (token, API key, session). */
  UNAUTHENTICATED: { status: 401, message: 'Authentication is required.' },
  /** Authenticated, but the role or scope does not allow this action. */
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.' },
  /** The room does not exist. */
  ROOM_NOT_FOUND: { status: 404, message: 'This room does not exist.' },
  /** A generic missing resource. */
  NOT_FOUND: { status: 404, message: 'Not found.' },
  /** The resource is in a state that conflicts with the request (e.g. a second recording). */
  CONFLICT: { status: 409, message: 'The request conflicts with the current state.' },
  /** The room is locked: nobody new may join. */
  ROOM_LOCKED: { status: 423, message: 'This room is locked.' },
  /** The room already holds its maximum number of participants. */
  ROOM_FULL: { status: 409, message: 'This room is full.' },
  /** The idempotency key was reused with a different request. */
  IDEMPOTENCY_MISMATCH: { status: 422, message: 'The idempotency key was used with a different request.' },
  /** Too many requests or events; retry later. */
  RATE_LIMITED: { status: 429, message: 'Too many requests. Slow down.' },
  /** The payload exceeds the allowed size. */
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The payload is too large.' },
  /** A dependency (LiveKit, database, Redis) is unavailable. */
  UNAVAILABLE: { status: 503, message: 'A dependency is unavailable. Try again shortly.' },
  /** An unexpected failure; details are logged, never returned. */
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/**
 * Marks every AppError, whichever copy of this module made it. Next.js bundles the domain code
 * into each server bundle (instrumentation, every route), so one process can hold several
 * `AppError` classes, and the process-wide objects on `globalThis` (web/src/server/context.ts)
 * throw the class of the bundle that built them, not of the route that catches. A key from the
 * global symbol registry is the same in all copies.
 */
const APP_ERROR_BRAND = Symbol.for('convene.AppError');

export class AppError extends Error {
  override name = 'AppError';
  readonly [APP_ERROR_BRAND] = true;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? ERROR_CATALOG[code].message);
  }

  /** `instanceof AppError` recognises an AppError from any copy of this module (see the brand). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isAppError(value);
  }
}

/** True for an AppError from any bundle's copy of this module, not only this one. */
export function isAppError(error: unknown): error is AppError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { [APP_ERROR_BRAND]?: unknown })[APP_ERROR_BRAND] === true
  );
}

export function httpStatusFor(code: ErrorCode): number {
  return ERROR_CATALOG[code].status;
}

export interface TAckError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Maps any thrown value to the public error shape; unknown errors become INTERNAL. */
export function toPublicError(error: unknown): TAckError {
  if (isAppError(error)) {
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  return { code: 'INTERNAL', message: ERROR_CATALOG.INTERNAL.message };
}
