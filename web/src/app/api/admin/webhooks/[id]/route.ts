import { adminSetEndpointEnabled, ZUpdateEndpoint } from '@convene/api/admin/integrations';
import { readJson } from '@/server/http';
import { actorFor, adminRoute, json } from '../../_lib/auth';
import { webhookDeps } from '../../_lib/integrations';

export const dynamic = 'force-dynamic';

/** Enable or disable an endpoint. */
export const PATCH = adminRoute<{ id: string }>(async ({ req, session, params }) => {
  const { enabled } = await readJson(req, ZUpdateEndpoint);
  return json(await adminSetEndpointEnabled(webhookDeps(), actorFor(session), params.id, enabled));
});
