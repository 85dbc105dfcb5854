import { OPS } from '@convene/api/rest/operations';
import { apiListParticipants, parseRoomParam } from '@convene/api/rest/rooms-api';
import { reply, withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

export const GET = withApiKey(OPS.listParticipants, async ({ api, params }) =>
  reply(200, await apiListParticipants(api, parseRoomParam(params.room!))),
);
