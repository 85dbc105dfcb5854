import type { DrainState } from './drain';

/** A dependency check: resolves when the dependency answers, rejects (or times out) otherwise. */
export interface TProbe {
  name: string;
  check(signal: AbortSignal): Promise<void>;
}

export type TCheckResult = { ok: true; latencyMs: number } | { ok: false; latencyMs: number; error: string };

export type TReadiness =
  | { ready: true; drain: 'serving'; checks: Record<string, TCheckResult> }
  | { ready: false; drain: 'serving' | 'draining' | 'stopped'; checks: Record<string, TCheckResult> };

export interface TReadinessOptions {
  drain: DrainState;
  probes: TProbe[];
  /** Each probe must answer within this time. */
  timeoutMs?: number;
  /** Results are reused for this long so a scraper or LB polling hard does not hammer Postgres. */
  cacheMs?: number;
}

export interface TReadinessChecker {
  evaluate(): Promise<TReadiness>;
  /** The last evaluated readiness (false before the first evaluation). */
  readonly lastReady: boolean;
}

/**
 * Readiness = not draining AND every dependency answers. Liveness (`/healthz`) is separate and
 * never looks at dependencies: a database outage must not make an orchestrator restart every pod.
 */
export function createReadiness({
  drain,
  probes,
  timeoutMs = 2000,
  cacheMs = 1000,
}: TReadinessOptions): TReadinessChecker {
  let cached: { at: number; checks: Record<string, TCheckResult> } | undefined;
  let inflight: Promise<Record<string, TCheckResult>> | undefined;
  let lastReady = false;

  async function runProbes(): Promise<Record<string, TCheckResult>> {
    const entries = await Promise.all(
      probes.map(async (probe): Promise<[string, TCheckResult]> => {
        const started = performance.now();
        const controller = new AbortController();
        const timer = setTimeout(
          () => controller.abort(new Error(`timed out after ${timeoutMs} ms`)),
          timeoutMs,
        );
        try {
          await Promise.race([
            probe.check(controller.signal),
            new Promise<never>((_, reject) =>
              controller.signal.addEventListener('abort', () => reject(controller.signal.reason), {
                once: true,
              }),
            ),
          ]);
          return [probe.name, { ok: true, latencyMs: Math.round(performance.now() - started) }];
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return [
            probe.name,
            { ok: false, latencyMs: Math.round(performance.now() - started), error: message },
          ];
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return Object.fromEntries(entries);
  }

  async function currentChecks() {
    if (cached && Date.now() - cached.at < cacheMs) return cached.checks;
    inflight ??= runProbes().finally(() => {
      inflight = undefined;
    });
    const checks = await inflight;
    cached = { at: Date.now(), checks };
    return checks;
  }

  return {
    get lastReady() {
      return lastReady;
    },
    async evaluate() {
      const checks = await currentChecks();
      const drainState = drain.value.state;
      const result: TReadiness =
        drainState === 'serving' && Object.values(checks).every((c) => c.ok)
          ? { ready: true, drain: 'serving', checks }
          : { ready: false, drain: drainState, checks };
      lastReady = result.ready;
      return result;
    },
  };
}
