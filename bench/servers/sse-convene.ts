// Convene's admin feed below the Next.js route: the Postgres-backed hub (LISTEN/NOTIFY wake-up,
// one log read per wake, fan-out) and the same SSE stream code, served by node:http.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createAdminEventHub } from '../../api/src/admin/event-hub';
import { openAdminEventStream, SSE_HEADERS } from '../../api/src/admin/sse';
import { createDb } from '../../api/src/db/client';
import { createLogger } from '../../api/src/logger';

const databaseUrl = process.env.BENCH_DB_URL!;
const db = createDb(databaseUrl, { poolSize: 4 });
const hub = createAdminEventHub({ db, databaseUrl, pollMs: 2000, logger: createLogger('warn') });
const server = createServer((req, res) => {
  if (req.url === '/rss') {
    res.end(JSON.stringify({ rss: process.memoryUsage().rss, clients: hub.subscriberCount }));
    return;
  }
  const abort = new AbortController();
  req.on('close', () => abort.abort());
  res.writeHead(200, SSE_HEADERS);
  Readable.fromWeb(
    openAdminEventStream(hub, { after: null, heartbeatMs: 25_000, signal: abort.signal }) as never,
  ).pipe(res);
});
server.listen(0, '127.0.0.1', () => console.log(`PORT ${(server.address() as AddressInfo).port}`));
