// `npm start`: set up what is missing, then run the whole platform until Ctrl-C / SIGTERM.
import { fail, say } from './lib/log.mjs';
import { ensureNpmDependencies, ensurePrismaClient } from './lib/tools.mjs';

const started = Date.now();
try {
  await ensureNpmDependencies();
  await ensurePrismaClient();
  const { ensureWebBuild } = await import('./lib/build.mjs');
  await ensureWebBuild();
  const { startPlatform } = await import('./lib/platform.mjs');
  const webPort = Number(process.env.PORT || 3000);
  const realtimePort = Number(process.env.REALTIME_PORT || 4000);
  const platform = await startPlatform({ webPort, realtimePort });

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    say(`${signal} received, stopping…`);
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  platform.group.onUnexpectedExit = (name, code, tail) => {
    console.error(`[${name}] exited unexpectedly (${code}); last output:\n${tail.slice(-10).join('\n')}`);
    void stop('failure');
  };
  say(`Convene is up in ${((Date.now() - started) / 1000).toFixed(1)} s → ${platform.publicUrl}`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
