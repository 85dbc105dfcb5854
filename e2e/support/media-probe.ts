/**
 * Looking inside recorded files with ffmpeg: one decoded frame as luma, and how textured it is
 * (a black or flat frame has ~0 spread; the bots' test pattern well over 20). Used by the
 * recorder's tests and its benchmark to tell real pictures from black.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The frame at `at` seconds of `file`, as 8-bit luma. */
export async function decodeLuma(file: string, at: number): Promise<Uint8Array> {
  const { stdout } = await run(
    'ffmpeg',
    [
      '-v',
      'error',
      '-ss',
      String(at),
      '-i',
      file,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'gray',
      '-',
    ],
    { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 },
  );
  return new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.byteLength);
}

/** Standard deviation of the values (the spread of a frame's luma). */
export function stddev(values: Uint8Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return Math.sqrt(squares / values.length);
}

/** Luma spread of the frame at `at` seconds. */
export async function lumaSpread(file: string, at: number): Promise<number> {
  return stddev(await decodeLuma(file, at));
}
