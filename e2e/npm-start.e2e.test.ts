// `npm start` as a new user runs it: no DATABASE_URL, REDIS_URL or LIVEKIT_URL, so the platform
// brings its own embedded PostgreSQL, livekit-server (generated dev keys), realtime and web
// servers, prints its URL, is ready (every dependency answers), and on SIGTERM stops every process
// it started: none is left behind.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { freePort } from '../scripts/lib/ports.mjs';

const dataDir = mkdtempSync(join(tmpdir(), 'convene-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Every process below `root`, from `ps` (the platform's children and theirs). */
function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const line of execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * `npm start` as a new user runs it: no service URLs, no keys; only the ports (free ones, not 7880,
 * since a developer's own `npm start` may be running beside the tests) and where to keep local
 * state move. `env` goes on top.
 */
async function spawnStart(env: Record<string, string> = {}) {
  const ports = { web: await freePort(), realtime: await freePort() };
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(ports.web),
      REALTIME_PORT: String(ports.realtime),
      LIVEKIT_PORT: String(await freePort()),
      CONVENE_DATA_DIR: dataDir,
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run = {
    child,
    ports,
    output: '',
    exited: new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))),
  };
  const collect = (chunk: Buffer) => {
    run.output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return run;
}

describe('npm start', () => {
  test('on defaults it starts everything, prints the URL, is ready, restarts a crashed realtime server, and SIGTERM leaves no process behind', async () => {
    const run = await spawnStart();
    const { child, exited } = run;
    const { web: webPort, realtime: realtimePort } = run.ports;
    try {
      const up = await new Promise<RegExpMatchArray>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = run.output.match(/Convene is up in ([\d.]+) s → (\S+)/);
          if (match) {
            clearInterval(timer);
            resolve(match);
          }
          if (child.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`npm start exited (${child.exitCode}):\n${run.output}`));
          }
        }, 100);
      });
      console.log(`npm start printed its URL after ${up[1]} s: ${up[2]}`);
      expect(up[2]).toBe(`http://localhost:${webPort}`);
      expect(run.output).toMatch(/starting embedded PostgreSQL/);
      expect(run.output).toMatch(/starting livekit-server/);

      const landing = await fetch(`http://127.0.0.1:${webPort}/`);
      expect(landing.status).toBe(200);
      expect(await landing.text()).toContain('Convene');
      // Ready = the database, LiveKit (and Redis, were it configured) answer.
      const ready = await fetch(`http://127.0.0.1:${webPort}/api/ready`);
      expect(ready.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${realtimePort}/readyz`)).status).toBe(200);

      // A crashed realtime server is started again (its clients reconnect and resume by seq).
      const realtimeServer = descendantsOf(child.pid!).find((pid) =>
        commandLineOf(pid).includes('api/src/realtime/main.ts'),
      );
      expect(realtimeServer, 'the realtime server process').toBeDefined();
      process.kill(realtimeServer!, 'SIGKILL');
      await expect
        .poll(() => run.output, { timeout: 10_000 })
        .toMatch(/\[realtime\] exited unexpectedly \(SIGKILL\); restarting in 1 s/);
      await expect
        .poll(
          async () => (await fetch(`http://127.0.0.1:${realtimePort}/readyz`).catch(() => null))?.status,
          { timeout: 30_000, interval: 250 },
        )
        .toBe(200);
      expect(isAlive(realtimeServer!)).toBe(false);

      const started = descendantsOf(child.pid!);
      // Embedded PostgreSQL, livekit-server, realtime and web are child processes.
      expect(started.length).toBeGreaterThanOrEqual(4);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await expect.poll(() => started.filter(isAlive), { timeout: 10_000 }).toEqual([]);
      expect(run.output).toMatch(/SIGTERM received, stopping/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  /** Runs `npm start` with `env` on top of a new user's environment, to its exit. */
  async function startUntilExit(env: Record<string, string>) {
    const run = await spawnStart(env);
    const code = await run.exited;
    return { code, output: run.output };
  }
  const STACK_FRAME = /\n\s+at /;

  test('a web port already taken stops it at once with a message naming the port and PORT', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as { port: number };
    try {
      const { code, output } = await startUntilExit({ PORT: String(port) });
      expect(code, output).toBe(1);
      expect(output).toContain(`port ${port}, wanted by the web app, is already in use`);
      expect(output).toContain('set PORT to another port');
      // Nothing was started, and no stack trace.
      expect(output).not.toMatch(/starting embedded PostgreSQL|starting livekit-server/);
      expect(output).not.toMatch(STACK_FRAME);
    } finally {
      squatter.close();
    }
  });

  test('a port that is not a port number is named, with the value it got', async () => {
    const { code, output } = await startUntilExit({ PORT: '30oo' });
    expect(code, output).toBe(1);
    expect(output).toContain('PORT must be a TCP port number from 1 to 65535, not "30oo".');
    expect(output).not.toMatch(STACK_FRAME);
  });

  test('an unreachable DATABASE_URL stops it with a message naming the database, password hidden', async () => {
    const port = await freePort(); // nothing listens there
    const { code, output } = await startUntilExit({
      PORT: String(await freePort()),
      DATABASE_URL: `postgresql://convene:hunter2@127.0.0.1:${port}/convene`,
    });
    expect(code, output).toBe(1);
    expect(output).toContain(
      `cannot reach the database at postgresql://convene:***@127.0.0.1:${port}/convene`,
    );
    expect(output).toContain('Check DATABASE_URL');
    expect(output).not.toContain('hunter2');
    expect(output).not.toMatch(STACK_FRAME);
  });

  test('SIGTERM while it is still starting, with nobody reading its run.output, stops what it started', async () => {
    const run = await spawnStart();
    const { child, exited } = run;
    let started: number[] = [];
    try {
      // The database is up and livekit-server is starting: the web app is not, so this is start-up.
      await expect
        .poll(() => run.output.includes('starting livekit-server'), { timeout: 60_000, interval: 20 })
        .toBe(true);
      started = descendantsOf(child.pid!);
      expect(started.length, run.output).toBeGreaterThanOrEqual(2);
      // As when `npm start | tee log` loses its tee: every later write of the platform hits EPIPE.
      child.stdout.destroy();
      child.stderr.destroy();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(run.output).not.toMatch(/Convene is up/);
      await expect.poll(() => started.filter(isAlive), { timeout: 10_000 }).toEqual([]);
      expect(descendantsOf(child.pid!)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      // Whatever a failure left behind must not outlive the test.
      for (const pid of started.filter(isAlive)) process.kill(pid, 'SIGKILL');
    }
  });
});
