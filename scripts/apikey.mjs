// `npm run --silent apikey -- <command>`: manage integrator API keys.
//
//   create --name <name> --scopes <scope,scope|*> [--rate-limit <requests/min>]
//        prints the new key alone on stdout (it is shown once; only its hash is stored)
//   list                  prints prefix, name, scopes, last use, state
//   revoke <prefix|key>   revokes a key at once
//
// Uses DATABASE_URL. Without it, `--embedded` starts the embedded database of `npm start`
// (same data folder) for the duration of the command — only while `npm start` is not running,
// since the embedded database has a single owner.
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run --silent apikey -- create --name <name> --scopes <scope,scope|*> [--rate-limit N]
       npm run --silent apikey -- list
       npm run --silent apikey -- revoke <prefix>
options: --embedded   use the embedded database (when DATABASE_URL is unset and npm start is stopped)`;

function die(message, code = 1) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scopes: { type: 'string' },
      'rate-limit': { type: 'string' },
      embedded: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  die(`${error.message}\n${USAGE}`, 2);
}
const { values, positionals } = parsed;
const [command, ...rest] = positionals;
if (values.help || !command) die(USAGE, values.help ? 0 : 2);
if (!['create', 'list', 'revoke'].includes(command)) die(`unknown command: ${command}\n${USAGE}`, 2);

let databaseUrl = process.env.DATABASE_URL;
let group;
if (!databaseUrl) {
  if (!values.embedded) {
    die(
      'DATABASE_URL is not set. Point it at the platform database (npm start prints the embedded one:\n' +
        '  "starting embedded PostgreSQL (PGlite) on 127.0.0.1:<port>" → DATABASE_URL=postgresql://postgres@127.0.0.1:<port>/postgres),\n' +
        'or stop npm start and re-run with --embedded to open the embedded database directly.',
    );
  }
  const { ServiceGroup } = await import('./lib/processes.mjs');
  const { startEmbeddedPostgres, migrateDatabase } = await import('./lib/database.mjs');
  group = new ServiceGroup({ quiet: true });
  // Progress lines of the helpers go to stdout; keep stdout for the key alone.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...args) => process.stderr.write(chunk, ...args);
  try {
    databaseUrl = await startEmbeddedPostgres(group);
    await migrateDatabase(databaseUrl);
  } finally {
    process.stdout.write = write;
  }
}

const { runApiKeyCommand } = await import('../api/src/apikeys/cli.ts');
let exitCode = 0;
try {
  exitCode = await runApiKeyCommand({
    databaseUrl,
    command,
    args: rest,
    name: values.name,
    scopes: values.scopes,
    rateLimit: values['rate-limit'],
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
} finally {
  await group?.stop();
}
process.exit(exitCode);
