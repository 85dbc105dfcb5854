// Shared start of the admin command-line tools (scripts/admin.mjs, scripts/apikey.mjs):
// argument parsing with a usage text, and the database they work on.
import { parseArgs } from 'node:util';

const EMBEDDED_HINT =
  'database: DATABASE_URL, else the embedded one of a running `npm start`, else the embedded one opened\n  for this command (--embedded is accepted and changes nothing)';

export function die(message, code = 1) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/**
 * Parses `<command> [args…] [--options]`; exits 2 with the usage on a bad option or an unknown
 * command, 0 on --help. `--embedded` and `--help` are added to every tool's options.
 */
export function parseCommandLine({ usage, commands, options }) {
  const fullUsage = `${usage}\n${EMBEDDED_HINT}`;
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        ...options,
        embedded: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    die(`${error.message}\n${fullUsage}`, 2);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) die(fullUsage, values.help ? 0 : 2);
  if (!commands.includes(command)) die(`unknown command: ${command}\n${fullUsage}`, 2);
  return { values, command, rest, usage: fullUsage };
}

/**
 * The database to work on: DATABASE_URL; else the embedded database of a running `npm start`;
 * else the embedded database opened (and migrated) for the duration of the command — `npm start`
 * must not start meanwhile: it has a single owner. `--embedded` is accepted for compatibility.
 * Returns the URL and a `close()` to call before exiting.
 */
export async function openDatabase() {
  if (process.env.DATABASE_URL) return { databaseUrl: process.env.DATABASE_URL, close: async () => {} };
  const { runningEmbeddedDatabase } = await import('./database.mjs');
  const running = runningEmbeddedDatabase();
  if (running) return { databaseUrl: running, close: async () => {} };
  const { ServiceGroup } = await import('./processes.mjs');
  const { startEmbeddedPostgres, migrateDatabase } = await import('./database.mjs');
  const group = new ServiceGroup({ quiet: true });
  // Progress lines of the helpers go to stderr: stdout carries the command's output alone
  // (scripts capture a new API key from it).
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...args) => process.stderr.write(chunk, ...args);
  try {
    const databaseUrl = await startEmbeddedPostgres(group);
    await migrateDatabase(databaseUrl);
    return { databaseUrl, close: () => group.stop() };
  } finally {
    process.stdout.write = write;
  }
}
