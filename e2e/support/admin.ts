import { randomBytes } from 'node:crypto';
import { createAdmin } from '@convene/api/admin/accounts';
import type { Db } from '@convene/api/db/client';
import { testEnv } from './env';

/** A fresh admin account for one test (its own email, so tests never share sessions or throttles). */
export async function seedAdmin(db: Db, label = 'admin') {
  const email = `${label}-${randomBytes(4).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  await createAdmin(db, { email, password });
  return { email, password };
}

export const ORIGIN = new URL(testEnv.webUrl).origin;

/** Signs in over HTTP and returns the Cookie header value. */
export async function adminCookie(email: string, password: string, ip = randomIp()): Promise<string> {
  const res = await fetch(`${testEnv.webUrl}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-forwarded-for': ip },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0]!;
}

export function randomIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

/** Reads an SSE response body frame by frame. */
export function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    /** The next raw frame (text up to a blank line), or null at end of stream. */
    async next(timeoutMs = 5000): Promise<string | null> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          return frame;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no SSE frame in time');
        let timer: NodeJS.Timeout | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('no SSE frame in time')), left);
          }),
        ]).finally(() => clearTimeout(timer));
        if (chunk.done) return null;
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    /**
     * The next frame that is not an event (a retry hint, a comment), or null at end of stream.
     * Other suites share the database, so their admin events may reach this stream first.
     */
    async nextControl(timeoutMs = 5000): Promise<string | null> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const frame = await this.next(Math.max(1, deadline - Date.now()));
        if (frame === null || !frame.startsWith('id: ')) return frame;
      }
    },
    cancel: () => reader.cancel().catch(() => undefined),
  };
}

export interface TParsedFrame {
  id?: string;
  event?: string;
  data?: { id: string; type: string; room: string | null; data: Record<string, unknown> };
  comment?: string;
}

export function parseFrame(frame: string): TParsedFrame {
  const out: TParsedFrame = {};
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) out.comment = line.slice(1).trim();
    else if (line.startsWith('id: ')) out.id = line.slice(4);
    else if (line.startsWith('event: ')) out.event = line.slice(7);
    else if (line.startsWith('data: ')) out.data = JSON.parse(line.slice(6));
  }
  return out;
}

/** Reads frames until `count` events matched `filter` (other tests' events are skipped). */
export async function collectEvents(
  reader: ReturnType<typeof sseReader>,
  filter: (f: TParsedFrame) => boolean,
  count: number,
  timeoutMs = 8000,
): Promise<TParsedFrame[]> {
  const got: TParsedFrame[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < count) {
    const frame = await reader.next(Math.max(1, deadline - Date.now()));
    if (frame === null) break;
    const parsed = parseFrame(frame);
    if (parsed.id && filter(parsed)) got.push(parsed);
  }
  return got;
}
