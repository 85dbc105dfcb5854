import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

const FILE = join(import.meta.dirname, '..', '..', 'BENCHMARKS.md');
const START = '<!-- bench:cluster-chaos:start -->';
const END = '<!-- bench:cluster-chaos:end -->';

/** Replaces (or appends) only this test's section of BENCHMARKS.md; other sections are untouched. */
export function updateBenchmarkSection(table: string): void {
  const cpu = cpus();
  const section = [
    START,
    '## Cluster chaos (`npm run test:cluster`, e2e/cluster/cluster.chaos.test.ts)',
    '',
    'The local cluster (infra/local-cluster): 2 livekit-server nodes on one Redis, 2 realtime, 2 web,',
    'nginx in front, all on one machine inside a loopback-only network namespace. Clients use the',
    "app's realtime client core (web/src/lib/realtime) through nginx. Machine: " +
      `${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, run ${new Date().toISOString()}.`,
    'Reconnect and echo times are CPU-bound: on this 2-core machine, while other test suites ran',
    'alongside (load average ~9), one run measured 29 s worst reconnect and failed the 10 s budget.',
    '',
    table,
    END,
  ].join('\n');
  const current = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${section}${current.slice(end + END.length)}`
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(FILE, next);
}
