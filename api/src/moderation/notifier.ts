import { notifyModeration, type TInternalClientConfig } from '../realtime/internal-client';
import type { TModerationNotifier } from './schemas';

/** For processes other than the realtime server (web app: admin dashboard, REST): over internal HTTP. */
export function createHttpModerationNotifier(config: TInternalClientConfig): TModerationNotifier {
  return { notify: (notice) => notifyModeration(config, notice) };
}
