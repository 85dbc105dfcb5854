import { OPS } from '@convene/api/rest/operations';
import { apiStopRecording, parseRecordingParam } from '@convene/api/rest/recordings-api';
import { reply, withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

export const POST = withApiKey(OPS.stopRecording, async ({ api, params, principal }) =>
  reply(202, await apiStopRecording(api, principal, parseRecordingParam(params.id!))),
);
