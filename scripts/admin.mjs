// `npm run --silent admin -- <command>`: manage admin dashboard accounts.
//
//   create --email <email> (--password <pw> | --password-stdin)   a new admin (password ≥ 12 chars)
//   reset-password --email <email> (--password … | --password-stdin)   also signs them out everywhere
//   list                                                           email, created, last login
//   delete --email <email>
//
// Uses DATABASE_URL; without it, the embedded database of a running `npm start`, or, when none
// runs, the embedded database opened for the duration of the command.
import { readFileSync } from 'node:fs';
import { die, openDatabase, parseCommandLine } from './lib/cli.mjs';

const { values, command, usage } = parseCommandLine({
  usage: `usage: npm run --silent admin -- create --email <email> (--password <pw> | --password-stdin)
       npm run --silent admin -- reset-password --email <email> (--password <pw> | --password-stdin)
       npm run --silent admin -- list
       npm run --silent admin -- delete --email <email>`,
  commands: ['create', 'reset-password', 'list', 'delete'],
  options: {
    email: { type: 'string' },
    password: { type: 'string' },
    'password-stdin': { type: 'boolean', default: false },
  },
});
if (['create', 'reset-password', 'delete'].includes(command) && !values.email)
  die(`--email is required\n${usage}`, 2);
let password = values.password;
if (values['password-stdin']) password = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
if (['create', 'reset-password'].includes(command) && !password) die(`a password is required\n${usage}`, 2);

const database = await openDatabase();
const { runAdminCommand } = await import('../api/src/admin/cli.ts');
let exitCode = 0;
try {
  exitCode = await runAdminCommand({
    databaseUrl: database.databaseUrl,
    command,
    email: values.email,
    password,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
} finally {
  await database.close();
}
process.exit(exitCode);
