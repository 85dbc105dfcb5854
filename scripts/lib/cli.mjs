// Shared start of the admin command-line tools (scripts/admin.mjs, scripts/apikey.mjs):
// argument parsing with a usage text, and the database they work on.
import { parseArgs } from 'node:util';

const EMBEDDED_HINT =
  'options: --embedded   use the embedded database (when DATABASE_URL is unset and npm start is stopped)';

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
 * DATABASE_URL, or with `--embedded` the embedded database of `npm start` opened (and migrated)
 * for the duration of the command — only while npm start is stopped: it has a single owner.
 * Returns the URL and a `close()` to call before exiting.
 */
export async function openDatabase({ embedded }) {
  if (process.env.DATABASE_URL) return { databaseUrl: process.env.DATABASE_URL, close: async () => {} };
  if (!embedded) {
    die(
      'DATABASE_URL is not set. Point it at the platform database (npm start prints the embedded one:\n' +
        '  "starting embedded PostgreSQL (PGlite) on 127.0.0.1:<port>" → DATABASE_URL=postgresql://postgres@127.0.0.1:<port>/postgres),\n' +
        'or stop npm start and re-run with --embedded to open the embedded database directly.',
    );
  }
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
