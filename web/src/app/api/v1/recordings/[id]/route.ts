import { OPS } from '@convene/api/rest/operations';
import { apiDeleteRecording, apiGetRecording, parseRecordingParam } from '@convene/api/rest/recordings-api';
import { apiKeyActor } from '@convene/api/rest/rooms-api';
import { reply, withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

export const GET = withApiKey(OPS.getRecording, async ({ api, params }) =>
  reply(200, await apiGetRecording(api, parseRecordingParam(params.id!))),
);

export const DELETE = withApiKey(OPS.deleteRecording, async ({ api, params, principal }) => {
  await apiDeleteRecording(api, apiKeyActor(principal), parseRecordingParam(params.id!));
  return reply(204, null);
});
