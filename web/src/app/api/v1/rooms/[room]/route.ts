import { OPS } from '@convene/api/rest/operations';
import {
  apiDeleteRoom,
  apiGetRoom,
  apiKeyActor,
  apiUpdateRoom,
  parseRoomParam,
} from '@convene/api/rest/rooms-api';
import { reply, withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

export const GET = withApiKey(OPS.getRoom, async ({ api, params }) =>
  reply(200, await apiGetRoom(api, parseRoomParam(params.room!))),
);

export const PATCH = withApiKey(OPS.updateRoom, async ({ api, params, body, principal }) =>
  reply(200, await apiUpdateRoom(api, apiKeyActor(principal), parseRoomParam(params.room!), body)),
);

export const DELETE = withApiKey(OPS.deleteRoom, async ({ api, params, principal }) => {
  await apiDeleteRoom(api, apiKeyActor(principal), parseRoomParam(params.room!));
  return reply(204, null);
});
