// Applies prisma/migrations to DATABASE_URL (a one-shot container/Job before web and realtime start).
// Same code path as `npm start` and the tests; an advisory lock makes concurrent runs safe.
import { migrateDatabase } from '../scripts/lib/database.mjs';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set');
  process.exit(1);
}
await migrateDatabase(url);
console.error('migrations applied');
