// `npm run --silent apikey -- <command>`: manage integrator API keys.
//
//   create --name <name> --scopes <scope,scope|*> [--rate-limit <requests/min>]
//        prints the new key alone on stdout (it is shown once; only its hash is stored)
//   list                  prints prefix, name, scopes, last use, state
//   revoke <prefix|key>   revokes a key at once
//
// Uses DATABASE_URL; without it, the embedded database of a running `npm start`, or, when none
// runs, the embedded database opened for the duration of the command.
import { openDatabase, parseCommandLine } from './lib/cli.mjs';

const { values, command, rest } = parseCommandLine({
  usage: `usage: npm run --silent apikey -- create --name <name> --scopes <scope,scope|*> [--rate-limit N]
       npm run --silent apikey -- list
       npm run --silent apikey -- revoke <prefix>`,
  commands: ['create', 'list', 'revoke'],
  options: {
    name: { type: 'string' },
    scopes: { type: 'string' },
    'rate-limit': { type: 'string' },
  },
});

const database = await openDatabase();
const { runApiKeyCommand } = await import('../api/src/apikeys/cli.ts');
let exitCode = 0;
try {
  exitCode = await runApiKeyCommand({
    databaseUrl: database.databaseUrl,
    command,
    args: rest,
    name: values.name,
    scopes: values.scopes,
    rateLimit: values['rate-limit'],
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
} finally {
  await database.close();
}
process.exit(exitCode);
