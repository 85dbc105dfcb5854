import {
  adminCreateApiKey,
  adminListApiKeys,
  INTEGRATION_CHOICES,
  ZCreateKey,
} from '@convene/api/admin/integrations';
import { webContext } from '@/server/context';
import { readJson } from '@/server/http';
import { actorFor, adminRoute, json } from '../_lib/auth';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(async () =>
  json({ data: await adminListApiKeys(webContext().db), scopes: INTEGRATION_CHOICES.scopes }),
);

/** The full key is in this response only. */
export const POST = adminRoute(async ({ req, session }) =>
  json(await adminCreateApiKey(webContext().db, actorFor(session), await readJson(req, ZCreateKey)), 201),
);
