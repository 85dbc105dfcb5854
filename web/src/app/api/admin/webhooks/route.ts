import {
  adminCreateEndpoint,
  adminListEndpoints,
  INTEGRATION_CHOICES,
  ZCreateEndpoint,
} from '@convene/api/admin/integrations';
import { webContext } from '@/server/context';
import { readJson } from '@/server/http';
import { actorFor, adminRoute, json } from '../_lib/auth';
import { webhookDeps } from '../_lib/integrations';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(async () =>
  json({ data: await adminListEndpoints(webContext().db), eventTypes: INTEGRATION_CHOICES.eventTypes }),
);

/** The signing secret is in this response only. */
export const POST = adminRoute(async ({ req, session }) =>
  json(
    await adminCreateEndpoint(webhookDeps(), actorFor(session), await readJson(req, ZCreateEndpoint)),
    201,
  ),
);
