import { describe, expect, test, vi } from 'vitest';
import { AppError, httpStatusFor, isAppError, toPublicError } from './errors';

/** A second, separately evaluated copy of the module, as a second Next.js bundle holds one. */
async function otherCopy(): Promise<typeof import('./errors')> {
  vi.resetModules();
  return import('./errors');
}

describe('AppError', () => {
  test('an AppError from another copy of the module is still an AppError', async () => {
    const other = await otherCopy();
    expect(other.AppError).not.toBe(AppError);
    const error = new other.AppError('NOT_FOUND', 'No such participant in this room right now.');
    expect(isAppError(error)).toBe(true);
    expect(error instanceof AppError).toBe(true);
    expect(other.isAppError(new AppError('CONFLICT'))).toBe(true);
    expect(toPublicError(error)).toEqual({
      code: 'NOT_FOUND',
      message: 'No such participant in this room right now.',
    });
    expect(httpStatusFor(error.code)).toBe(404);
  });

  test.each([
    ['a plain Error', new Error('boom')],
    ['an Error named AppError', Object.assign(new Error('x'), { name: 'AppError', code: 'NOT_FOUND' })],
    ['a look-alike object', { name: 'AppError', code: 'NOT_FOUND', message: 'x' }],
    ['null', null],
    ['a string', 'AppError'],
  ])('%s is not an AppError', (_label, value) => {
    expect(isAppError(value)).toBe(false);
    expect(value instanceof AppError).toBe(false);
  });
});
