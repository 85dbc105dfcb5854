/**
 * Looking inside recorded files with ffmpeg: one decoded frame as luma and how textured it is (a
 * black or flat frame has ~0 spread; the bots' test pattern well over 20), and decoded audio with
 * the power of one frequency in it. Used by the recorder's tests and its benchmark to tell real
 * pictures and tones from black and silence.
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

/** Sample rate of `decodeAudio`'s output. */
export const PROBE_SAMPLE_RATE = 48_000;

/** `seconds` of the file's audio from `from`, as 48 kHz mono s16. */
export async function decodeAudio(file: string, from: number, seconds: number): Promise<Int16Array> {
  // biome-ignore format: one ffmpeg option per pair
  const { stdout } = await run('ffmpeg', [
    '-v', 'error', '-ss', String(from), '-t', String(seconds), '-i', file,
    '-vn', '-ac', '1', '-ar', String(PROBE_SAMPLE_RATE), '-f', 's16le', '-',
  ], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return new Int16Array(stdout.buffer, stdout.byteOffset, stdout.byteLength / 2);
}

/** Power of `hz` in 48 kHz samples (Goertzel), normalised by the length. */
export function tonePower(samples: Int16Array, hz: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / PROBE_SAMPLE_RATE);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s0 = x / 32768 + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / samples.length;
}
