import { OPS } from '@convene/api/rest/operations';
import { apiCreateRoom, apiListRooms } from '@convene/api/rest/rooms-api';
import { reply, withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

export const POST = withApiKey(OPS.createRoom, async ({ api, body }) =>
  reply(201, await apiCreateRoom(api, body)),
);

export const GET = withApiKey(OPS.listRooms, async ({ api, query }) =>
  reply(200, await apiListRooms(api, query)),
);
