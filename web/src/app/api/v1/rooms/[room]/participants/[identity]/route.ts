import { OPS } from '@convene/api/rest/operations';
import { apiKeyActor, apiRemoveParticipant, parseRoomParam, safeDecode } from '@convene/api/rest/rooms-api';
import { reply, withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

export const DELETE = withApiKey(OPS.removeParticipant, async ({ api, params, principal }) => {
  await apiRemoveParticipant(
    api,
    apiKeyActor(principal),
    parseRoomParam(params.room!),
    safeDecode(params.identity!),
  );
  return reply(204, null);
});
