import { OPS } from '@convene/api/rest/operations';
import { apiCreateToken, parseRoomParam } from '@convene/api/rest/rooms-api';
import { reply, withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

export const POST = withApiKey(OPS.createToken, async ({ api, params, body }) =>
  reply(201, await apiCreateToken(api, parseRoomParam(params.room!), body)),
);
