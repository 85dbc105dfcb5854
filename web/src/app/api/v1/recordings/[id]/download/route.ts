import { OPS } from '@convene/api/rest/operations';
import { apiDownloadRecording, parseRecordingParam } from '@convene/api/rest/recordings-api';
import { withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

// Streams the file (byte ranges: 206/416); errors are problem+json like every other operation.
export const GET = withApiKey(OPS.downloadRecording, async ({ api, params, req }) =>
  apiDownloadRecording(api, parseRecordingParam(params.id!), req),
);
