import { OPS } from '@convene/api/rest/operations';
import { apiMuteParticipant, parseRoomParam, safeDecode } from '@convene/api/rest/rooms-api';
import { reply, withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

export const POST = withApiKey(OPS.muteParticipant, async ({ api, params, body }) =>
  reply(200, await apiMuteParticipant(api, parseRoomParam(params.room!), safeDecode(params.identity!), body)),
);
