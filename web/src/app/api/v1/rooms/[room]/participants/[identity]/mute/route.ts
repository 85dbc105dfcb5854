import { OPS } from '@convene/api/rest/operations';
import { apiKeyActor, apiMuteParticipant, parseRoomParam, safeDecode } from '@convene/api/rest/rooms-api';
import { reply, withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

export const POST = withApiKey(OPS.muteParticipant, async ({ api, params, body, principal }) =>
  reply(
    200,
    await apiMuteParticipant(
      api,
      apiKeyActor(principal),
      parseRoomParam(params.room!),
      safeDecode(params.identity!),
      body,
    ),
  ),
);
