import { adminRevokeApiKey } from '@convene/api/admin/integrations';
import { webContext } from '@/server/context';
import { actorFor, adminRoute } from '../../../_lib/auth';

export const dynamic = 'force-dynamic';

export const POST = adminRoute<{ prefix: string }>(async ({ session, params }) => {
  await adminRevokeApiKey(webContext().db, actorFor(session), decodeURIComponent(params.prefix));
  return new Response(null, { status: 204 });
});
