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

const encoder = new TextEncoder();
// The hub hands the same event object to every subscriber: serialise it once, not once per client.
const encodedFrames = new WeakMap<TAdminEvent, Uint8Array>();

export function encodeSseEvent(event: TAdminEvent): Uint8Array {
  let frame = encodedFrames.get(event);
  if (!frame) {
    frame = encoder.encode(formatSseEvent(event));
    encodedFrames.set(event, frame);
  }
  return frame;
}

function concatChunks(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let size = 0;
  for (const chunk of chunks) size += chunk.byteLength;
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

export const SSE_HEARTBEAT = ': ping\n\n';

/**
 * The SSE streams open in one process: their count is the `convene_sse_clients` gauge, and a
 * draining process ends them all with a retry hint (EventSource then reconnects — through the
 * proxy, to another instance — after that delay, sending Last-Event-ID, and misses nothing).
 */
export interface TSseStreams {
  readonly size: number;
  /**
   * Writes `retry: retryMs()` to every open stream and ends it; streams opened afterwards end
   * the same way at once. Returns how many were open.
   */
  closeAll(retryMs: () => number): number;
}

export interface TSseStreamRegistry extends TSseStreams {
  /** Tracks one stream; `end(retryMs)` tells its client when to come back and closes it. */
  add(end: (retryMs: number) => void): () => void;
}

export function createSseStreams(): TSseStreamRegistry {
  const open = new Set<(retryMs: number) => void>();
  let closing: (() => number) | null = null;
  return {
    get size() {
      return open.size;
    },
    add(end) {
      if (closing) {
        end(closing());
        return () => {};
      }
      open.add(end);
      return () => open.delete(end);
    },
    closeAll(retryMs) {
      closing = retryMs;
      const ends = [...open];
      open.clear();
      for (const end of ends) end(retryMs());
      return ends.length;
    },
  };
}

/**
 * A framework-free SSE body over the hub: replays from `after`, then streams live events, with a
 * comment heartbeat so proxies and browsers keep the connection open. Ends on `signal` abort or
 * when the client goes away (cancel).
 */
export function openAdminEventStream(
  hub: TAdminEventHub,
  options: {
    after: bigint | null;
    heartbeatMs: number;
    signal?: AbortSignal;
    retryMs?: number;
    /** Where the stream registers itself (gauge, drain). */
    streams?: TSseStreamRegistry;
  },
): ReadableStream<Uint8Array> {
  let unsubscribe: (() => void) | undefined;
  let untrack: (() => void) | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let done = false;
  const stop = () => {
    done = true;
    clearInterval(heartbeat);
    unsubscribe?.();
    untrack?.();
  };
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      // Events the hub delivers in one read arrive synchronously: queue them and hand the
      // stream one chunk per turn, so a burst costs one socket write per client, not one per event.
      let pending: Uint8Array[] = [];
      const flush = () => {
        const chunks = pending;
        pending = [];
        if (done || chunks.length === 0) return;
        try {
          controller.enqueue(concatChunks(chunks));
        } catch {
          stop();
        }
      };
      const send = (chunk: Uint8Array) => {
        if (done) return;
        if (pending.length === 0) queueMicrotask(flush);
        pending.push(chunk);
      };
      const write = (text: string) => send(encoder.encode(text));
      const close = () => {
        flush();
        stop();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      write(`retry: ${options.retryMs ?? 2000}\n: connected\n\n`);
      options.signal?.addEventListener('abort', close);
      if (!done)
        untrack = options.streams?.add((retryMs) => {
          write(`retry: ${retryMs}\n: reconnect\n\n`);
          close();
        });
      if (done) return;
      try {
        const off = await hub.subscribe(options.after, (event) => send(encodeSseEvent(event)));
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
