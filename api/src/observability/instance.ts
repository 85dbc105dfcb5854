import { hostname } from 'node:os';
import type { TEnv } from '../env';

/** The name this process uses in logs and metrics: INSTANCE_ID, else `<hostname>-<pid>`. */
export function resolveInstanceId(env: Pick<TEnv, 'INSTANCE_ID'>): string {
  return env.INSTANCE_ID ?? `${hostname()}-${process.pid}`;
}
