import { loadEnv, type TEnv } from '@convene/api/env';

/** The web server's validated environment (parsed on first use, once per process). */
export function serverEnv(): TEnv {
  return loadEnv();
}

/** True in the Node.js server runtime (instrumentation runs in edge too). */
export function isNodeRuntime(): boolean {
  return process.env.NEXT_RUNTIME === 'nodejs';
}
