import 'server-only';
import { webObservability } from './observability';

/**
 * On SIGTERM the web instance reports not-ready (`/api/ready` → 503, `convene_draining` 1) while
 * Next.js's own handler stops accepting connections and finishes in-flight requests before exit.
 * Behind Kubernetes a preStop sleep gives endpoints time to drop the pod first (infra/k8s).
 */
export function installWebLifecycle(): void {
  const ops = webObservability();
  process.once('SIGTERM', () => ops.drain.begin('SIGTERM'));
}
