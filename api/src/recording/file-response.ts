/**
 * Serves a recording file over HTTP with single byte ranges (RFC 9110 §14), so browsers can seek
 * in a `<video>` and download managers can resume. Shared by the REST download and the admin
 * dashboard's playback route; both authorise before calling it.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../errors';
import type { S3ObjectStore } from './object-store';

export type TByteRange = { start: number; end: number };

/**
 * Reads a `Range` header against a file size: the range to send, `'unsatisfiable'` (→ 416), or
 * null to send the whole file (no header, a non-bytes unit, several ranges or a malformed value —
 * the RFC lets a server ignore those).
 */
export function parseByteRange(header: string | null, size: number): TByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return null;
  if (first === '') {
    // Suffix range: the last N bytes.
    const length = Number(last);
    if (length === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return null;
  return { start, end };
}

const CONTENT_TYPES: Record<string, string> = { webm: 'video/webm', mp4: 'video/mp4', ogg: 'audio/ogg' };

export function contentTypeOf(filePath: string): string {
  return CONTENT_TYPES[filePath.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/**
 * A streaming Response for the file: 200 with the whole file, 206 with the asked range, or 416.
 * `disposition` chooses between playing in place (`inline`) and saving (`attachment`).
 * Throws NOT_FOUND when the file is gone from disk.
 */
export async function recordingFileResponse(
  filePath: string,
  options: { range: string | null; fileName: string; disposition: 'inline' | 'attachment'; method?: string },
): Promise<Response> {
  const info = await stat(filePath).catch(() => null);
  if (!info?.isFile()) throw new AppError('NOT_FOUND', 'The recording file is no longer available.');
  const size = info.size;
  const headers = new Headers({
    'accept-ranges': 'bytes',
    'content-type': contentTypeOf(filePath),
    'content-disposition': `${options.disposition}; filename="${options.fileName.replace(/[^\w.-]/g, '_')}"`,
    'cache-control': 'private, no-store',
    'last-modified': info.mtime.toUTCString(),
  });
  const range = parseByteRange(options.range, size);
  if (range === 'unsatisfiable') {
    headers.set('content-range', `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  headers.set('content-length', String(size === 0 ? 0 : end - start + 1));
  if (range) headers.set('content-range', `bytes ${start}-${end}/${size}`);
  const status = range ? 206 : 200;
  if (options.method === 'HEAD' || size === 0) return new Response(null, { status, headers });
  const body = Readable.toWeb(createReadStream(filePath, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}

/**
 * The download of a recording wherever it is stored: a local file is streamed (ranges, see
 * recordingFileResponse); an object in the Egress bucket is a 302 to a short-lived presigned URL
 * (the object store serves ranges itself). NOT_FOUND when it is in a store Convene cannot reach.
 */
export async function recordingDownloadResponse(
  filePath: string,
  options: { range: string | null; fileName: string; disposition: 'inline' | 'attachment'; method?: string },
  objectStore: S3ObjectStore | null,
): Promise<Response> {
  if (isAbsolute(filePath)) return recordingFileResponse(filePath, options);
  const key = objectStore?.keyOf(filePath);
  if (!objectStore || !key) {
    throw new AppError(
      'NOT_FOUND',
      'The recording is in an object store this server has no credentials for (EGRESS_S3_*).',
    );
  }
  return new Response(null, {
    status: 302,
    headers: {
      location: await objectStore.presignedGet(key, options.fileName, options.disposition),
      'cache-control': 'private, no-store',
    },
  });
}
