import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { say } from './log.mjs';
import { ROOT } from './paths.mjs';
import { run } from './run.mjs';

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.next') || entry === 'generated') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Builds the Next.js app when there is no build or a source file is newer than it. */
export async function ensureWebBuild({ force = false } = {}) {
  const buildId = join(ROOT, 'web', process.env.CONVENE_NEXT_DIST_DIR ?? '.next', 'BUILD_ID');
  // The generated Prisma client is skipped (regenerating rewrites it); its schema stands for it.
  const sources = [
    join(ROOT, 'web'),
    join(ROOT, 'api', 'src'),
    join(ROOT, 'prisma', 'schema.prisma'),
    join(ROOT, 'package-lock.json'),
  ];
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (!force && built > 0 && sources.every((s) => newestMtime(s) <= built)) return;
  say('building the web app (next build)…');
  await run(process.execPath, [join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: join(ROOT, 'web'),
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
  });
}
