// Runs PGlite behind the Postgres wire protocol. Started by scripts/lib/database.mjs.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const dataDir = process.env.PGLITE_DATA_DIR;
const port = Number(process.env.PGLITE_PORT);
const db = await PGlite.create(dataDir);
const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 100 });
await server.start();
console.log(`embedded PostgreSQL ready on 127.0.0.1:${port}`);

let closing = false;
async function close() {
  if (closing) return;
  closing = true;
  await server.stop();
  await db.close();
  process.exit(0);
}
process.on('SIGTERM', close);
process.on('SIGINT', close);
