import { OPS } from '@convene/api/rest/operations';
import { apiListMessages, apiPostMessage, parseRoomParam } from '@convene/api/rest/rooms-api';
import { reply, withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

export const GET = withApiKey(OPS.listMessages, async ({ api, params, query }) =>
  reply(200, await apiListMessages(api, parseRoomParam(params.room!), query)),
);

export const POST = withApiKey(OPS.postMessage, async ({ api, params, body }) =>
  reply(201, await apiPostMessage(api, parseRoomParam(params.room!), body)),
);
