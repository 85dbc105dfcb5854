import { adminRotateSecret, ZRotateSecret } from '@convene/api/admin/integrations';
import { readJson } from '@/server/http';
import { actorFor, adminRoute, json } from '../../../_lib/auth';
import { webhookDeps } from '../../../_lib/integrations';

export const dynamic = 'force-dynamic';

export const POST = adminRoute<{ id: string }>(async ({ req, session, params }) => {
  const { overlapSeconds } = await readJson(req, ZRotateSecret);
  return json(await adminRotateSecret(webhookDeps(), actorFor(session), params.id, overlapSeconds));
});
