import type { TAdminEventHub } from './event-hub';
import type { TAdminEvent } from './events';

/** Headers of the admin SSE response: no caching, no proxy buffering (nginx honours X-Accel-Buffering). */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/** One SSE frame; `id:` lets EventSource send Last-Event-ID when it reconnects. */
export function formatSseEvent(event: TAdminEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export const SSE_HEARTBEAT = ': ping\n\n';

/**
 * A framework-free SSE body over the hub: replays from `after`, then streams live events, with a
 * comment heartbeat so proxies and browsers keep the connection open. Ends on `signal` abort or
 * when the client goes away (cancel).
 */
export function openAdminEventStream(
  hub: TAdminEventHub,
  options: { after: bigint | null; heartbeatMs: number; signal?: AbortSignal; retryMs?: number },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let unsubscribe: (() => void) | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let done = false;
  const stop = () => {
    done = true;
    clearInterval(heartbeat);
    unsubscribe?.();
  };
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => {
        if (done) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      write(`retry: ${options.retryMs ?? 2000}\n: connected\n\n`);
      options.signal?.addEventListener('abort', () => {
        stop();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
      try {
        const off = await hub.subscribe(options.after, (event) => write(formatSseEvent(event)));
        if (done) off();
        else unsubscribe = off;
      } catch (error) {
        stop();
        controller.error(error);
        return;
      }
      heartbeat = setInterval(() => write(SSE_HEARTBEAT), options.heartbeatMs);
    },
    cancel() {
      stop();
    },
  });
}
