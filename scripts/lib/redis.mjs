import { existsSync } from 'node:fs';
import { say } from './log.mjs';
import { freePort } from './ports.mjs';
import { sleep } from './processes.mjs';

/** Starts a private, non-persistent redis-server on loopback (tests and the local cluster). */
export async function startRedisServer(group, { port, name = 'redis' } = {}) {
  const binary = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
  if (!binary)
    throw new Error('redis-server is not installed (apt-get install -y redis-server), or set REDIS_URL.');
  const listenPort = port ?? (await freePort());
  say(`starting redis-server on 127.0.0.1:${listenPort}`);
  const service = group.start(
    name,
    binary,
    ['--bind', '127.0.0.1', '--port', String(listenPort), '--save', '', '--appendonly', 'no'],
    {
      filter: (line) =>
        /WARNING|ERR|#/.test(line) && !/Redis version|Configuration loaded|Ready to accept/.test(line),
    },
  );
  await waitForRedis(listenPort, service);
  return { url: `redis://127.0.0.1:${listenPort}`, port: listenPort, service };
}

async function waitForRedis(port, service, timeoutMs = 10_000) {
  const { createConnection } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`redis-server exited:\n${service.tail.join('\n')}`);
    const ok = await new Promise((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.write('PING\r\n');
      });
      socket.once('data', (d) => {
        socket.destroy();
        resolve(String(d).startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error('redis-server did not start in time');
}
