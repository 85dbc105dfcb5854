// The local cluster (infra/local-cluster): 2 LiveKit nodes + 2 realtime + 2 web behind nginx.
//   npm run cluster:up     start it in the foreground on fixed ports (Ctrl-C or cluster:down stops it)
//   npm run cluster:down   stop a running cluster:up
//   npm run test:cluster   the chaos test (e2e/cluster) in a loopback-only network namespace
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, say } from './lib/log.mjs';
import { canUseNetns, NETNS_SETUP } from './lib/netns.mjs';
import { DATA_DIR, ROOT } from './lib/paths.mjs';
import { sleep } from './lib/processes.mjs';
import { run } from './lib/run.mjs';
import { ensureLivekitServer, ensureNpmDependencies, ensurePrismaClient } from './lib/tools.mjs';

const [command = 'up', ...rest] = process.argv.slice(2);
const PID_FILE = join(DATA_DIR, 'cluster', 'cluster.pid');

async function prepare() {
  await ensureNpmDependencies();
  await ensurePrismaClient();
  await ensureLivekitServer();
  if (!['/usr/sbin/nginx', '/usr/local/sbin/nginx'].some((p) => existsSync(p))) {
    if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
      say('installing nginx (apt-get install -y nginx)…');
      await run('apt-get', ['install', '-y', '-qq', 'nginx'], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } else fail('nginx is not installed (Debian: apt-get install -y nginx).');
  }
  const { ensureWebBuild } = await import('./lib/build.mjs');
  await ensureWebBuild();
}

async function up() {
  await prepare();
  const { startLocalCluster } = await import('../infra/local-cluster/cluster.mjs');
  const cluster = await startLocalCluster({ fixedPorts: true, quiet: false });
  mkdirSync(join(DATA_DIR, 'cluster'), { recursive: true });
  writeFileSync(PID_FILE, String(process.pid));
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping the local cluster…`);
    await cluster.stop();
    rmSync(PID_FILE, { force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  say(`open ${cluster.url} — stop with Ctrl-C or \`npm run cluster:down\``);
}

async function down() {
  if (!existsSync(PID_FILE)) {
    say('no local cluster is running');
    return;
  }
  const pid = Number(readFileSync(PID_FILE, 'utf8'));
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    rmSync(PID_FILE, { force: true });
    say('the local cluster was not running');
    return;
  }
  for (let i = 0; i < 150 && existsSync(PID_FILE); i++) await sleep(200);
  say('local cluster stopped');
}

async function test() {
  const inner = rest.includes('--inner');
  const vitestArgs = rest.filter((a) => a !== '--inner');
  const vitest = () =>
    run(join(ROOT, 'node_modules/.bin/vitest'), ['run', '--project', 'cluster', ...vitestArgs], {
      env: { ...process.env, CONVENE_CLUSTER_TEST: '1', NODE_ENV: 'test' },
    });
  if (inner) return vitest();
  await prepare();
  if (canUseNetns()) {
    say('entering a loopback-only network namespace for the cluster test…');
    await run(
      'unshare',
      [
        '-n',
        '--',
        'sh',
        '-c',
        NETNS_SETUP,
        process.execPath,
        'scripts/cluster.mjs',
        'test',
        '--inner',
        ...vitestArgs,
      ],
      { env: { ...process.env, CONVENE_IN_NETNS: '1' } },
    );
  } else {
    say('not root or no unshare: running the cluster test in the host network namespace (all on 127.0.0.1).');
    await vitest();
  }
}

try {
  if (command === 'up') await up();
  else if (command === 'down') await down();
  else if (command === 'test') await test();
  else fail(`unknown command ${command} (up, down, test)`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
