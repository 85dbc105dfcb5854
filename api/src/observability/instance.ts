import { hostname } from 'node:os';
import type { TEnv } from '../env';

/** The name this process uses in logs and metrics: INSTANCE_ID, else `<hostname>-<pid>`. */
export function resolveInstanceId(env: Pick<TEnv, 'INSTANCE_ID'>): string {
  // Also the routing prefix of Engine.IO session ids (see realtime.ts): keep it URL- and nginx-safe.
  return env.INSTANCE_ID ?? `${hostname()}-${process.pid}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64);
}
