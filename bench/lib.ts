import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Starts `bench/servers/<name>.ts` in its own process and resolves with its port. */
export function startServer(
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      ...(env.BENCH_NODE_ARGS ? env.BENCH_NODE_ARGS.split(' ') : []),
      '--import',
      'tsx',
      join(ROOT, 'bench', 'servers', `${name}.ts`),
    ],
    {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /PORT (\d+)/.exec(out);
      if (match) resolve({ port: Number(match[1]), child });
    });
    child.once('exit', (code) => reject(new Error(`${name} server exited (${code}) before listening`)));
  });
}

export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Replaces (or appends) the section between `<!-- bench:<id> -->` markers in BENCHMARKS.md. */
export function writeBenchmarkSection(id: string, markdown: string): string {
  const file = join(ROOT, 'BENCHMARKS.md');
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let text = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n\nEach section is written by its script under `bench/` (`npm run bench`); numbers are from the\nlast run on the machine named in the section.\n';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text =
    i >= 0 && j > i
      ? `${text.slice(0, i)}${block}${text.slice(j + end.length)}`
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
  // Keep the file as `biome check` wants it (tables padded), so `npm test` stays green.
  spawnSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', file], { stdio: 'ignore' });
  return file;
}
