// `npm run --silent admin -- <command>`: manage admin dashboard accounts.
//
//   create --email <email> (--password <pw> | --password-stdin)   a new admin (password ≥ 12 chars)
//   reset-password --email <email> (--password … | --password-stdin)   also signs them out everywhere
//   list                                                           email, created, last login
//   delete --email <email>
//
// Uses DATABASE_URL. Without it, `--embedded` opens the embedded database of `npm start` (only
// while npm start is stopped: the embedded database has a single owner).
// The first admin can also come from ADMIN_EMAIL/ADMIN_PASSWORD at web start (docs/admin.md).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run --silent admin -- create --email <email> (--password <pw> | --password-stdin)
       npm run --silent admin -- reset-password --email <email> (--password <pw> | --password-stdin)
       npm run --silent admin -- list
       npm run --silent admin -- delete --email <email>
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
      email: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      embedded: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  die(`${error.message}\n${USAGE}`, 2);
}
const { values, positionals } = parsed;
const [command] = positionals;
if (values.help || !command) die(USAGE, values.help ? 0 : 2);
if (!['create', 'reset-password', 'list', 'delete'].includes(command))
  die(`unknown command: ${command}\n${USAGE}`, 2);
if (['create', 'reset-password', 'delete'].includes(command) && !values.email)
  die(`--email is required\n${USAGE}`, 2);
let password = values.password;
if (values['password-stdin']) password = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
if (['create', 'reset-password'].includes(command) && !password) die(`a password is required\n${USAGE}`, 2);

let databaseUrl = process.env.DATABASE_URL;
let group;
if (!databaseUrl) {
  if (!values.embedded) {
    die(
      'DATABASE_URL is not set. Point it at the platform database, or stop npm start and re-run with --embedded.',
    );
  }
  const { ServiceGroup } = await import('./lib/processes.mjs');
  const { startEmbeddedPostgres, migrateDatabase } = await import('./lib/database.mjs');
  group = new ServiceGroup({ quiet: true });
  databaseUrl = await startEmbeddedPostgres(group);
  await migrateDatabase(databaseUrl);
}

const { runAdminCommand } = await import('../api/src/admin/cli.ts');
let exitCode = 0;
try {
  exitCode = await runAdminCommand({
    databaseUrl,
    command,
    email: values.email,
    password,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
} finally {
  await group?.stop();
}
process.exit(exitCode);
