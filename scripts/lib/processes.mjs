import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ROOT } from './paths.mjs';

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

  start(name, command, args, { env = process.env, cwd = ROOT, filter } = {}) {
    if (this.#stopping) throw new Error(`not starting ${name}: shutting down`);
    activeGroups.add(this);
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = [];
    const pipe = (stream, out) => {
      createInterface({ input: stream }).on('line', (line) => {
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (!this.quiet && (!filter || filter(line))) out.write(`[${name}] ${line}\n`);
      });
    };
    pipe(child.stdout, process.stdout);
    pipe(child.stderr, process.stderr);
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
    const service = { name, child, exited, tail };
    exited.then((code) => {
      if (!this.#stopping) this.onUnexpectedExit(name, code, tail);
    });
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
