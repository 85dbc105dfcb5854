import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ROOT } from './paths.mjs';

/** Crashes a restartable service may have within a minute before the group gives up on it. */
const RESTART_LIMIT = 5;

/** Groups that may have services running: a signal that arrives mid-start-up stops these too. */
const activeGroups = new Set();

/** Stops every group this process started (for signal handlers that run before start-up ends). */
export async function stopAllServiceGroups() {
  await Promise.all([...activeGroups].map((group) => group.stop()));
}

// Our output may go to a pipe whose reader is gone (`npm start | tee log`, then Ctrl-C kills tee):
// a failed write must not kill this process before it has stopped the services it started.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/**
 * Starts long-running services, prefixes their output, and stops them all (whole process groups)
 * on stop() — so Ctrl-C never leaves an orphaned livekit-server or Next.js behind.
 */
export class ServiceGroup {
  #services = [];
  #stopping = false;
  onUnexpectedExit = (name, code) => {
    console.error(`[${name}] exited unexpectedly (${code})`);
  };

  constructor({ quiet = false } = {}) {
    this.quiet = quiet;
  }

  /**
   * `restart`: a crash is answered by starting the service again (after 1, 2, 4… s, at most
   * RESTART_LIMIT times a minute) instead of by onUnexpectedExit. For stateless servers whose
   * clients reconnect by themselves; a service that keeps crashing still ends in onUnexpectedExit.
   */
  start(name, command, args, { env = process.env, cwd = ROOT, filter, restart = false } = {}) {
    if (this.#stopping) throw new Error(`not starting ${name}: shutting down`);
    activeGroups.add(this);
    const tail = [];
    const service = { name, child: null, exited: null, tail, restarts: 0 };
    const crashTimes = [];
    const launch = () => {
      const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const pipe = (stream, out) => {
        createInterface({ input: stream }).on('line', (line) => {
          tail.push(line);
          if (tail.length > 40) tail.shift();
          if (!this.quiet && (!filter || filter(line))) out.write(`[${name}] ${line}\n`);
        });
      };
      pipe(child.stdout, process.stdout);
      pipe(child.stderr, process.stderr);
      service.child = child;
      service.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
      service.exited.then(async (code) => {
        if (this.#stopping) return;
        const now = Date.now();
        while (crashTimes.length > 0 && now - crashTimes[0] > 60_000) crashTimes.shift();
        crashTimes.push(now);
        if (!restart || crashTimes.length > RESTART_LIMIT) {
          this.onUnexpectedExit(name, code, tail);
          return;
        }
        const delayMs = Math.min(1000 * 2 ** (crashTimes.length - 1), 8000);
        console.error(`[${name}] exited unexpectedly (${code}); restarting in ${delayMs / 1000} s`);
        await sleep(delayMs);
        if (this.#stopping) return;
        service.restarts += 1;
        launch();
      });
    };
    launch();
    this.#services.push(service);
    return service;
  }

  /** SIGTERM every group in reverse start order, SIGKILL after a grace period. */
  async stop(graceMs = 8000) {
    this.#stopping = true;
    for (const service of [...this.#services].reverse()) {
      signalGroup(service.child, 'SIGTERM');
      const done = await Promise.race([service.exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!done) {
        signalGroup(service.child, 'SIGKILL');
        await service.exited;
      }
    }
    this.#services = [];
    activeGroups.delete(this);
  }
}

function signalGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls an HTTP URL until it answers (any status < 500) or the deadline passes. */
export async function waitForHttp(url, { timeoutMs = 60_000, service } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (service && service.child.exitCode !== null) {
      throw new Error(`${service.name} exited while starting:\n${service.tail.join('\n')}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error.cause?.code ?? error.message;
    }
    await sleep(200);
  }
  throw new Error(`${url} did not become ready in ${timeoutMs} ms (${lastError})`);
}
