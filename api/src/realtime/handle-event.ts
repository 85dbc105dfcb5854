import { AppError, isAppError, toPublicError } from '../errors';
import {
  CLIENT_EVENT_SCHEMAS,
  type ClientEventResults,
  type TAckResult,
  type TClientEventName,
  type TClientParsed,
} from './contract';
import type { TRealtimeContext, TSocket } from './types';

type THandler<E extends TClientEventName> = (payload: TClientParsed<E>) => Promise<ClientEventResults[E]>;

/**
 * Registers one client event: rate limit, validate against the contract's schema, run the
 * domain call, answer the ack with a result union. Nothing thrown escapes; unknown errors are
 * logged and answered INTERNAL.
 */
export function onEvent<E extends TClientEventName>(
  ctx: TRealtimeContext,
  socket: TSocket,
  event: E,
  handler: THandler<E>,
): void {
  const log = ctx.logger;
  const listener = (...args: unknown[]) => {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as (r: TAckResult<ClientEventResults[E]>) => void) : null;
    const limited = (bucket: 'events' | 'reactions') => {
      const verdict = socket.data.limiter.check(bucket);
      if (verdict === 'allow') return false;
      ack?.({ ok: false, error: toPublicError(new AppError('RATE_LIMITED')) });
      if (verdict === 'disconnect') {
        log.warn(
          { room: socket.data.join.room, participant: socket.data.join.identity, event },
          'flood: disconnecting',
        );
        socket.disconnect(true);
      }
      return true;
    };
    if (limited('events')) return;
    if (!ack) return; // Every event is request/response; one without an ack has nobody to answer.
    const parsed = CLIENT_EVENT_SCHEMAS[event].safeParse(args.length >= 2 ? args[0] : undefined);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      ack({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: `${where}${issue?.message ?? 'invalid payload'}` },
      });
      return;
    }
    if (event === 'reaction:send' && limited('reactions')) return;
    handler(parsed.data as TClientParsed<E>).then(
      (data) => ack({ ok: true, data }),
      (error: unknown) => {
        if (!isAppError(error))
          log.error({ err: error, event, room: socket.data.join.room }, 'event handler failed');
        const { code, message } = toPublicError(error);
        ack({ ok: false, error: { code, message } });
      },
    );
  };
  socket.on(event, listener as never);
}
