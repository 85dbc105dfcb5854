// A second real Next.js server (`next start`) on the same build, database, Redis and LiveKit as the
// platform's: for tests of behaviour across web instances.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/ports.mjs';

const ROOT = join(import.meta.dirname, '..', '..');

export interface TWebInstance {
  url: string;
  /** SIGTERM (SIGKILL after 10 s) and wait for exit. */
  stop(): Promise<void>;
  /** Sends a signal without waiting (drain tests). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines the process printed. */
  output(): string;
}

/**
 * Starts `next start` on a free port with the test run's environment (DATABASE_URL, REDIS_URL,
 * LIVEKIT_*, CONVENE_NEXT_DIST_DIR come from scripts/test.mjs). Its webhook worker is off so it
 * does not compete with the platform's for deliveries other tests assert on.
 */
export async function startWebInstance(extraEnv: Record<string, string> = {}): Promise<TWebInstance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tail: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '--port', String(port)],
    {
      cwd: join(ROOT, 'web'),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        WEBHOOK_WORKER: 'false',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (chunk: Buffer) => {
    tail.push(...chunk.toString().split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 30));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`second web instance exited:\n${tail.join('\n')}`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500)
        return {
          url,
          stop,
          kill: (signal) => child.kill(signal),
          exited,
          output: () => tail.join('\n'),
        };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`second web instance did not become ready:\n${tail.join('\n')}`);
}
