import { OPS } from '@convene/api/rest/operations';
import { apiListRecordings } from '@convene/api/rest/recordings-api';
import { reply, withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

export const GET = withApiKey(OPS.listRecordings, async ({ api, query }) =>
  reply(200, await apiListRecordings(api, query)),
);
