import { OPS } from '@convene/api/rest/operations';
import { apiListSessions, parseRoomParam } from '@convene/api/rest/rooms-api';
import { reply, withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

export const GET = withApiKey(OPS.listSessions, async ({ api, params, query }) =>
  reply(200, await apiListSessions(api, parseRoomParam(params.room!), query)),
);
