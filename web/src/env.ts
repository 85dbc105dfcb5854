import { loadEnv, type TEnv } from '@convene/api/env';

/** The web server's validated environment (parsed on first use, once per process). */
export function serverEnv(): TEnv {
  return loadEnv();
}
