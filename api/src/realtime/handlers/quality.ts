import { recordQualitySample } from '../../quality/record-quality';
import { evaluateQualityFlag } from '../../quality/room-quality';
import { isPoorQuality } from '../../quality/schemas';
import { onEvent } from '../handle-event';
import type { TRealtimeContext, TSocket } from '../types';

/**
 * `quality:report`: store the change, then re-evaluate the room's poor-quality flag — at once for
 * a recovery, and once the threshold has passed for a drop (the evaluation reads the database, so
 * a timer lost with this process only delays the flag until the next report).
 */
export function registerQualityHandlers(ctx: TRealtimeContext, socket: TSocket): void {
  const { join } = socket.data;
  const poorQualityMs = ctx.env.QUALITY_POOR_FLAG_SECONDS * 1000;
  const evaluate = () =>
    evaluateQualityFlag(ctx.db, join.room, { poorQualityMs }).catch((err: unknown) =>
      ctx.logger.error({ err, room: join.room }, 'quality flag evaluation failed'),
    );
  onEvent(ctx, socket, 'quality:report', async ({ quality }) => {
    const result = await recordQualitySample(ctx.db, { room: join.room, identity: join.identity, quality });
    if (!result.changed) return result;
    if (isPoorQuality(quality)) setTimeout(evaluate, poorQualityMs + 50).unref();
    else void evaluate();
    return result;
  });
}
