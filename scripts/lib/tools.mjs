import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fail, say } from './log.mjs';
import { ROOT, TOOLS_DIR } from './paths.mjs';
import { capture, run } from './run.mjs';

export const LIVEKIT_VERSION = '1.13.5';

/** Installs npm dependencies when node_modules is missing or older than the lockfile. */
export async function ensureNpmDependencies() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing npm dependencies (npm ci)…');
  await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}

/** Generates the Prisma client (pure JS, no engine download) when missing or stale. */
export async function ensurePrismaClient() {
  const schema = join(ROOT, 'prisma', 'schema.prisma');
  const generated = join(ROOT, 'api', 'src', 'db', 'generated', 'client.ts');
  if (existsSync(generated) && statSync(generated).mtimeMs >= statSync(schema).mtimeMs) return;
  say('generating the Prisma client…');
  await run(join(ROOT, 'node_modules', '.bin', 'prisma'), ['generate'], {
    // The client engine is WASM; pointing the native library at /dev/null stops a download attempt.
    env: { ...process.env, PRISMA_QUERY_ENGINE_LIBRARY: '/dev/null', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function versionOf(binary) {
  try {
    return (await capture(binary, ['--version'])).trim();
  } catch {
    return '';
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * Returns a livekit-server binary of the pinned version: the cached one under .tools/, else one on
 * PATH with the right version, else builds it from the Go module proxy.
 */
export async function ensureLivekitServer() {
  const cached = join(TOOLS_DIR, 'bin', 'livekit-server');
  if (existsSync(cached) && (await versionOf(cached)).endsWith(LIVEKIT_VERSION)) return cached;
  const fromPath = onPath('livekit-server');
  if (fromPath && (await versionOf(fromPath)).endsWith(LIVEKIT_VERSION)) return fromPath;
  const go = onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
  if (!go) {
    fail(
      `livekit-server ${LIVEKIT_VERSION} was not found and Go is not installed to build it.\n` +
        '  Install Go 1.22+ (https://go.dev/dl/) and run this command again, or put a livekit-server\n' +
        `  ${LIVEKIT_VERSION} binary on your PATH, or point LIVEKIT_URL/LIVEKIT_API_KEY/LIVEKIT_API_SECRET at a running server.`,
    );
  }
  say(`building livekit-server v${LIVEKIT_VERSION} from the Go module proxy (first run only, ~2-3 min)…`);
  const binDir = join(TOOLS_DIR, 'bin');
  mkdirSync(binDir, { recursive: true });
  await run(go, ['install', `github.com/livekit/livekit-server/cmd/server@v${LIVEKIT_VERSION}`], {
    env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
  });
  renameSync(join(binDir, 'server'), cached);
  return cached;
}

/** Reads the platform's package version (for logs). */
export function platformVersion() {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version ?? '0.0.0';
}
