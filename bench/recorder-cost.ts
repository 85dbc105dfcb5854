/**
 * CPU cost of the embedded recorder (api/src/recording/embedded-recorder.ts) per recorded
 * participant, as a ratio against the SFU's own CPU for the same room.
 *
 * A private livekit-server (loopback, random ports, keys generated for the run) hosts one room per
 * step. N rtc-node publishers (bench/servers/recorder-bots.ts, their own process so their encoders
 * are not counted) each send a tone and a moving 640x360 pattern; in some rooms they only publish,
 * in others they also subscribe to each other as a meeting would. Phase A: the SFU's CPU with nobody recording. Phase B: the embedded
 * recorder records the room from its own process (bench/servers/recorder.ts), and the recorder
 * (node + its ffmpeg child) and the SFU are measured over the same window. CPU is read from
 * /proc/<pid>/stat (utime + stime, all threads) and divided by wall time: "% of one core".
 * The recording must finalise (exit 0, non-empty file showing a picture, not black).
 *
 * Media must stay on loopback: as root the bench re-runs itself inside a network namespace with
 * only `lo` (scripts/lib/netns.mjs), like `npm test` does for its media tiers.
 *
 * Run: `npm run bench -- recorder`. Env: BENCH_PUBLISHERS (default 2,4,8), BENCH_MESH_PUBLISHERS
 * (2,4), BENCH_WARMUP_MS (6000), BENCH_MEASURE_MS (15000), BENCH_RECORDER_WARMUP_MS (5000),
 * BENCH_VIDEO (640x360@15), BENCH_SIMULCAST (0). Writes its section of BENCHMARKS.md.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { lumaSpread } from '../e2e/support/media-probe';
import { ROOT, writeBenchmarkSection } from './lib';

/** Rooms where the publishers only publish (the SFU ingests, and forwards to the recorder alone). */
const PUBLISHERS = (process.env.BENCH_PUBLISHERS ?? '2,4,8').split(',').filter(Boolean).map(Number);
/**
 * Rooms where every publisher also subscribes to all the others, as in a meeting (the SFU forwards
 * N×(N−1) streams). Only small N: the publishers' process then decodes every stream too, and at
 * N = 8 that saturated this 2-core box (joins timed out).
 */
const MESH_PUBLISHERS = (process.env.BENCH_MESH_PUBLISHERS ?? '2,4').split(',').filter(Boolean).map(Number);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 6000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 15_000);
/** Time for the recorder to join, subscribe and reach a steady encode before measuring. */
const RECORDER_WARMUP_MS = Number(process.env.BENCH_RECORDER_WARMUP_MS ?? 5000);
const VIDEO = process.env.BENCH_VIDEO ?? '640x360@15';
const IS_SIMULCAST = process.env.BENCH_SIMULCAST === '1';
/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat. */
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

interface TStep {
  publishers: number;
  isMesh: boolean;
}

interface TStepResult extends TStep {
  /** % of one core over the phase. */
  sfuA: number;
  sfuB: number;
  recorderNode: number;
  recorderFfmpeg: number;
  bots: number;
  machineBusyA: number;
  machineBusyB: number;
  loopbackMbpsA: number;
  loopbackMbpsB: number;
  rssNodeMb: number;
  rssFfmpegMb: number;
  fileMb: number;
  fileSeconds: number;
}

interface TServiceGroup {
  stop(graceMs?: number): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU ticks (user + system, every thread) a process has used so far; undefined once it is gone. */
function processTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces): state is [0],
    // utime [11], stime [12].
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** Busy and total ticks of the whole machine, to show how contended the window was. */
function machineTicks(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const ticks = values.slice(0, 8).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - ticks[3]! - ticks[4]!, total };
}

/**
 * Bytes received on `lo` so far. Inside the bench's namespace every media packet crosses `lo`
 * (the veth address is local too), so the rate shows whether the publishers kept their bitrate
 * while the box was saturated.
 */
function loopbackBytes(): number {
  const line = readFileSync('/proc/net/dev', 'utf8')
    .split('\n')
    .find((l) => l.trim().startsWith('lo:'));
  return line ? Number(line.split(':')[1]!.trim().split(/\s+/)[0]) : Number.NaN;
}

/** Direct children of `pid` running `command` (the recorder's ffmpeg). */
function childrenOf(pid: number, command: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && name === command) found.push(Number(entry));
    } catch {
      // The process ended while we scanned.
    }
  }
  return found;
}

/** Peak resident set (VmHWM) of a process, in MB. */
function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** CPU of each named process over `ms` of wall time, as % of one core, plus the machine's busy %. */
async function measureCpu<K extends string>(
  pids: Record<K, number[]>,
  ms: number,
): Promise<{ percent: Record<K, number>; machineBusy: number; loopbackMbps: number }> {
  const names = Object.keys(pids) as K[];
  const sum = (name: K) => pids[name].reduce((total, pid) => total + (processTicks(pid) ?? Number.NaN), 0);
  const before = new Map(names.map((name) => [name, sum(name)]));
  const machineBefore = machineTicks();
  const bytesBefore = loopbackBytes();
  const startedAt = performance.now();
  await sleep(ms);
  const seconds = (performance.now() - startedAt) / 1000;
  const machineAfter = machineTicks();
  const loopbackMbps = ((loopbackBytes() - bytesBefore) * 8) / 1e6 / seconds;
  const percent = {} as Record<K, number>;
  for (const name of names) {
    const used = sum(name) - before.get(name)!;
    if (!Number.isFinite(used)) throw new Error(`${name} exited during the measurement`);
    percent[name] = (100 * used) / CLK_TCK / seconds;
  }
  const machineBusy =
    (100 * (machineAfter.busy - machineBefore.busy)) / (machineAfter.total - machineBefore.total);
  return { percent, machineBusy, loopbackMbps };
}

/** Starts `bench/servers/<name>.ts` with its own node process; lines of stdout go to `lines`. */
function startChild(name: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'servers', `${name}.ts`)], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const seen: string[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    seen.push(line);
    for (const wake of waiters.splice(0)) wake();
  });
  /** Resolves with the first stdout line starting with `prefix`. */
  const waitForLine = (prefix: string, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name}: no ${prefix} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onExit = (code: number | null) => reject(new Error(`${name} exited (${code}) before ${prefix}`));
      child.once('exit', onExit);
      const check = () => {
        const line = seen.find((l) => l.startsWith(prefix));
        if (!line) return void waiters.push(check);
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(line);
      };
      check();
    });
  return { child, waitForLine };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 8000).unref();
  });
}

async function measureStep(
  { publishers, isMesh }: TStep,
  livekit: { url: string; pid: number; apiKey: string; apiSecret: string },
  recordingsDir: string,
): Promise<TStepResult> {
  const env = {
    ...process.env,
    BENCH_LIVEKIT_URL: livekit.url,
    BENCH_LIVEKIT_KEY: livekit.apiKey,
    BENCH_LIVEKIT_SECRET: livekit.apiSecret,
    BENCH_ROOM: `recorder-bench-${publishers}-${Date.now().toString(36)}`,
    BENCH_PUBLISHERS: String(publishers),
    BENCH_VIDEO: VIDEO,
    BENCH_SIMULCAST: IS_SIMULCAST ? '1' : '0',
    BENCH_MESH: isMesh ? '1' : '0',
    BENCH_RECORDINGS_DIR: recordingsDir,
  };
  const bots = startChild('recorder-bots', env);
  let recorder: ReturnType<typeof startChild> | undefined;
  try {
    await bots.waitForLine('READY', 60_000 + 10_000 * publishers);
    // Let bandwidth estimation ramp the encoders up to their target bitrate.
    await sleep(WARMUP_MS);
    const a = await measureCpu({ sfu: [livekit.pid] }, MEASURE_MS);
    console.log(
      `  N=${publishers}${isMesh ? ' mesh' : ''} A: SFU ${a.percent.sfu.toFixed(1)} % (machine ${a.machineBusy.toFixed(0)} % busy, lo ${a.loopbackMbps.toFixed(1)} Mbit/s)`,
    );

    recorder = startChild('recorder', env);
    await recorder.waitForLine('RECORDING', 30_000);
    const recorderPid = recorder.child.pid!;
    const ffmpeg = childrenOf(recorderPid, 'ffmpeg');
    if (ffmpeg.length !== 1)
      throw new Error(`expected one ffmpeg child of the recorder, found ${ffmpeg.length}`);
    await sleep(RECORDER_WARMUP_MS);
    const b = await measureCpu(
      { sfu: [livekit.pid], node: [recorderPid], ffmpeg, bots: [bots.child.pid!] },
      MEASURE_MS,
    );
    const rssNodeMb = peakRssMb(recorderPid);
    const rssFfmpegMb = peakRssMb(ffmpeg[0]!);
    console.log(
      `  N=${publishers}${isMesh ? ' mesh' : ''} B: SFU ${b.percent.sfu.toFixed(1)} %, recorder node ${b.percent.node.toFixed(1)} % + ffmpeg ${b.percent.ffmpeg.toFixed(1)} %, bots ${b.percent.bots.toFixed(1)} % (machine ${b.machineBusy.toFixed(0)} % busy, lo ${b.loopbackMbps.toFixed(1)} Mbit/s)`,
    );

    const done = recorder.waitForLine('DONE ', 30_000);
    recorder.child.stdin!.write('stop\n');
    const file = JSON.parse((await done).slice('DONE '.length)) as {
      filePath: string;
      sizeBytes: number;
      durationSeconds: number;
    };
    if (!(file.sizeBytes > 0)) throw new Error(`N=${publishers}: the recording is empty`);
    // The camera must have been recorded during the window, not black frames only.
    const spread = await lumaSpread(file.filePath, Math.max(0, file.durationSeconds - 2));
    if (spread < 20)
      throw new Error(`N=${publishers}: the recorded picture is blank (luma σ ${spread.toFixed(1)})`);
    return {
      publishers,
      isMesh,
      sfuA: a.percent.sfu,
      sfuB: b.percent.sfu,
      recorderNode: b.percent.node,
      recorderFfmpeg: b.percent.ffmpeg,
      bots: b.percent.bots,
      machineBusyA: a.machineBusy,
      machineBusyB: b.machineBusy,
      loopbackMbpsA: a.loopbackMbps,
      loopbackMbpsB: b.loopbackMbps,
      rssNodeMb,
      rssFfmpegMb,
      fileMb: file.sizeBytes / 1e6,
      fileSeconds: file.durationSeconds,
    };
  } finally {
    if (recorder) await stopChild(recorder.child);
    await stopChild(bots.child);
  }
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function measureAll(): Promise<TStepResult[]> {
  // @ts-expect-error -- plain ESM helpers without types
  const { ServiceGroup } = await import('../scripts/lib/processes.mjs');
  // @ts-expect-error -- plain ESM helpers without types
  const { startLivekitServer } = await import('../scripts/lib/livekit.mjs');
  // @ts-expect-error -- plain ESM helpers without types
  const { ensureLivekitServer } = await import('../scripts/lib/tools.mjs');
  const { freePort } = await import('../scripts/lib/ports.mjs');

  const keys = {
    apiKey: `bench${randomBytes(6).toString('hex')}`,
    apiSecret: randomBytes(32).toString('base64url'),
  };
  const group: TServiceGroup = new ServiceGroup({ quiet: true });
  const recordingsDir = mkdtempSync(join(tmpdir(), 'convene-recorder-bench-'));
  const loadBefore = loadAverage();
  const startedAt = new Date();
  const results: TStepResult[] = [];
  let livekitVersion = '?';
  try {
    const binary: string = await ensureLivekitServer();
    livekitVersion = execFileSync(binary, ['--version']).toString().trim().split(' ').at(-1) ?? '?';
    const started: { url: string; service: { child: ChildProcess } } = await startLivekitServer(group, {
      binary,
      keys,
      port: await freePort(),
      rtcTcpPort: await freePort(),
      rtcUdpPort: await freePort(),
    });
    const livekit = { url: started.url, pid: started.service.child.pid!, ...keys };
    const steps: TStep[] = [
      ...PUBLISHERS.map((publishers) => ({ publishers, isMesh: false })),
      ...MESH_PUBLISHERS.map((publishers) => ({ publishers, isMesh: true })),
    ];
    console.log(
      `recorder cost: ${steps.map((s) => `N=${s.publishers}${s.isMesh ? ' mesh' : ''}`).join(', ')}, ${VIDEO}, ${MEASURE_MS / 1000} s per phase (load ${loadBefore})`,
    );
    for (const step of steps) results.push(await measureStep(step, livekit, recordingsDir));
  } finally {
    await group.stop();
    rmSync(recordingsDir, { recursive: true, force: true });
  }
  const loadAfter = loadAverage();
  writeSection(results, { startedAt, loadBefore, loadAfter, livekitVersion });
  return results;
}

/** Least-squares line through (N, recorder %): what a recording costs regardless of N, and per participant. */
function fitLine(points: Array<[number, number]>): { fixed: number; perParticipant: number } {
  const n = points.length;
  const mx = points.reduce((t, [x]) => t + x, 0) / n;
  const my = points.reduce((t, [, y]) => t + y, 0) / n;
  const sxx = points.reduce((t, [x]) => t + (x - mx) ** 2, 0);
  const sxy = points.reduce((t, [x, y]) => t + (x - mx) * (y - my), 0);
  const perParticipant = sxx > 0 ? sxy / sxx : 0;
  return { fixed: my - perParticipant * mx, perParticipant };
}

function writeSection(
  results: TStepResult[],
  run: { startedAt: Date; loadBefore: string; loadAfter: string; livekitVersion: string },
) {
  const pct = (n: number) => n.toFixed(1);
  const recorder = (r: TStepResult) => r.recorderNode + r.recorderFfmpeg;
  const range = (values: number[], digits: number) =>
    `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
  const [width, height, fps] = VIDEO.split(/[x@]/);
  const fit = fitLine(results.map((r) => [r.publishers, recorder(r)]));
  const row = (r: TStepResult) =>
    [
      r.publishers,
      r.isMesh ? 'all the others' : 'none',
      pct(r.sfuA),
      pct(r.sfuB),
      pct(recorder(r)),
      `${Math.round((100 * r.recorderFfmpeg) / recorder(r))} %`,
      pct(recorder(r) / r.publishers),
      (recorder(r) / r.sfuB).toFixed(1),
      `${Math.round(r.rssNodeMb)} / ${Math.round(r.rssFfmpegMb)}`,
      pct(r.bots),
      `${Math.round(r.machineBusyA)} / ${Math.round(r.machineBusyB)}`,
      `${r.loopbackMbpsA.toFixed(1)} / ${r.loopbackMbpsB.toFixed(1)}`,
      `${r.fileMb.toFixed(1)} MB, ${r.fileSeconds.toFixed(0)} s`,
    ].join(' | ');
  const markdown = [
    '## Embedded recorder CPU (`bench/recorder-cost.ts`)',
    '',
    `One room per row on a private livekit-server ${run.livekitVersion} (loopback only, inside a network namespace`,
    `with only \`lo\`). N rtc-node publishers, each a sine tone and a moving ${width}x${height} pattern at ${fps} fps`,
    `(VP8, simulcast ${IS_SIMULCAST ? 'on' : 'off'}, 600 kbps cap), run in their own process and not counted. "Subscribed to":`,
    'none = publishers only publish. Dynacast is on, as in the app, so the SFU pauses cameras nobody',
    'watches: in A such a room carries mostly audio, in B the one camera the recorder shows resumes.',
    "all the others = a meeting's full mesh (the SFU forwards N×(N−1) streams; only small N, as the",
    "publishers' process then decodes every stream). A: the SFU alone. B: the embedded recorder, in its own node",
    'process with its ffmpeg child, records the room; recorder and SFU are measured over the same window.',
    `Each phase lasts ${MEASURE_MS / 1000} s after ${WARMUP_MS / 1000} s (publishers) / ${RECORDER_WARMUP_MS / 1000} s (recorder) of warm-up. CPU is`,
    'utime + stime of all threads from `/proc/<pid>/stat` over wall time, in % of one core. Every',
    'recording was checked: ffmpeg exited 0, the WebM is non-empty and its last seconds show the pattern.',
    '"Media on lo": all traffic in the namespace (publishers → SFU → subscribers and recorder), to show',
    'the publishers kept sending while the box was saturated.',
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, run ${run.startedAt.toISOString()};`,
    `load average ${run.loadBefore} before, ${run.loadAfter} after: other jobs shared the box, so read`,
    'the ratios measured in the same window rather than the absolute figures.',
    '',
    '| publishers | subscribed to | SFU % (A: no recording) | SFU % (B: recording) | recorder % (node + ffmpeg) | ffmpeg share | recorder % per participant | recorder / SFU (B) | recorder peak RSS MB (node / ffmpeg) | publishers % (not counted) | machine busy % (A / B) | media on lo Mbit/s (A / B) | file |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map((r) => `| ${row(r)} |`),
    '',
    `Least-squares fit over all rows: recorder ≈ ${fit.fixed.toFixed(1)} % of a core per recording + ${fit.perParticipant.toFixed(1)} % per`,
    'participant. Meeting rows (all the others) give the ratio that matters for a real call; the',
    'publish-only rows carry less SFU work, so their recorder / SFU ratio overstates it.',
    `Over these rooms the recorder used ${range(results.map(recorder), 0)} % of a core (${range(
      results.map((r) => recorder(r) / r.publishers),
      1,
    )} % per recorded participant),`,
    `${range(
      results.map((r) => recorder(r) / r.sfuB),
      1,
    )} × the SFU's CPU for the same room. Why it costs more than the SFU: the SFU forwards`,
    'packets without decoding them, while the recorder decodes one camera and every microphone, mixes',
    `and scales in JS and encodes ${width}x${height} VP8 + Opus. Only the per-microphone Opus decode and the mix grow`,
    'with N; the video path is one decode and one encode whatever the room size. The app sends 720p with',
    'three simulcast layers: the recorder would then decode a larger picture than here.',
  ].join('\n');
  const file = writeBenchmarkSection('recorder-cost', markdown);
  console.log(`${markdown}\n\nwritten to ${file}`);
}

export async function runRecorderCost(): Promise<void> {
  // @ts-expect-error -- plain ESM helpers without types
  const { canUseNetns, NETNS_SETUP } = await import('../scripts/lib/netns.mjs');
  if (!process.env.CONVENE_IN_NETNS && canUseNetns()) {
    // Re-run this file inside a loopback-only namespace: WebRTC gathers candidates on every
    // interface, and the namespace makes it impossible for media to reach a real one.
    const script = fileURLToPath(import.meta.url);
    const inner = spawn(
      'unshare',
      ['-n', '--', 'sh', '-c', NETNS_SETUP, process.execPath, '--import', 'tsx', script],
      { stdio: 'inherit', env: { ...process.env, CONVENE_IN_NETNS: '1' } },
    );
    const code = await new Promise<number | null>((resolve) => inner.once('exit', resolve));
    if (code !== 0) throw new Error(`the recorder benchmark failed inside its network namespace (${code})`);
    return;
  }
  if (!process.env.CONVENE_IN_NETNS)
    console.warn(
      'not root or no unshare: running in the host network namespace (LiveKit stays on 127.0.0.1 by config).',
    );
  await measureAll();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runRecorderCost().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
