// `npm start`: set up what is missing, then run the whole platform until Ctrl-C / SIGTERM.
import { fail, say } from './lib/log.mjs';
import { stopAllServiceGroups } from './lib/processes.mjs';
import { ensureNpmDependencies, ensurePrismaClient } from './lib/tools.mjs';

const started = Date.now();
// Handled from the first line: Ctrl-C while the database or livekit-server is already starting
// must stop them too (they run in their own process groups, out of the terminal's reach).
let stopping = false;
const stop = async (reason, exitCode = 0) => {
  if (stopping) return;
  stopping = true;
  say(`${reason}, stopping…`);
  await stopAllServiceGroups();
  process.exit(exitCode);
};
process.on('SIGINT', () => void stop('SIGINT received'));
process.on('SIGTERM', () => void stop('SIGTERM received'));

try {
  await ensureNpmDependencies();
  await ensurePrismaClient();
  const { ensureWebBuild } = await import('./lib/build.mjs');
  await ensureWebBuild();
  const { startPlatform } = await import('./lib/platform.mjs');
  const platform = await startPlatform({
    webPort: portFromEnv('PORT', 3000),
    realtimePort: portFromEnv('REALTIME_PORT', 4000),
    livekitPort: portFromEnv('LIVEKIT_PORT', 7880),
    supervise: true,
  });
  platform.group.onUnexpectedExit = (name, code, tail) => {
    console.error(`[${name}] exited unexpectedly (${code}); last output:\n${tail.slice(-10).join('\n')}`);
    void stop(`${name} failed`, 1);
  };
  if (!stopping)
    say(`Convene is up in ${((Date.now() - started) / 1000).toFixed(1)} s → ${platform.publicUrl}`);
} catch (error) {
  // A signal during start-up makes the half-started platform fail: stop() is already exiting.
  if (!stopping) fail(error instanceof Error ? error.message : String(error));
}

/** A port from the environment, checked before anything starts (the services validate the rest). */
function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port number from 1 to 65535, not "${raw}".`);
  }
  return port;
}
