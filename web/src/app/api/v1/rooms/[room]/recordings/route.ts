import { OPS } from '@convene/api/rest/operations';
import { apiStartRecording } from '@convene/api/rest/recordings-api';
import { parseRoomParam } from '@convene/api/rest/rooms-api';
import { reply, withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

export const POST = withApiKey(OPS.startRecording, async ({ api, params, principal }) =>
  reply(201, await apiStartRecording(api, principal, parseRoomParam(params.room!))),
);
