// `npm run db:migrate`: apply prisma/migrations to DATABASE_URL (the platform does this on start).
import { fail, say } from './lib/log.mjs';

if (!process.env.DATABASE_URL)
  fail('DATABASE_URL is not set (npm start migrates its embedded database itself).');
try {
  const { migrateDatabase } = await import('./lib/database.mjs');
  await migrateDatabase(process.env.DATABASE_URL);
  say('database is up to date');
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
