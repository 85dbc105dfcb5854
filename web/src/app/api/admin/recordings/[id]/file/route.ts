import { recordingDownloadResponse } from '@convene/api/recording/file-response';
import { objectStoreFor } from '@convene/api/recording/object-store';
import { getAdminRecordingFile, ZAdminRecordingFileQuery } from '@convene/api/recording/recordings-admin';
import { serverEnv } from '@/env';
import { webContext } from '@/server/context';
import { adminRoute, type TAdminRequest } from '../../../_lib/auth';

export const dynamic = 'force-dynamic';

/**
 * The file of a ready recording for the console's `<video>` (inline, with byte ranges so the
 * browser can seek) or, with `?download=1`, as an attachment.
 */
async function serveFile({ req, params }: TAdminRequest<{ id: string }>): Promise<Response> {
  const { download } = ZAdminRecordingFileQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const { filePath, fileName } = await getAdminRecordingFile(webContext().db, params.id);
  return recordingDownloadResponse(
    filePath,
    {
      range: req.headers.get('range'),
      fileName,
      disposition: download === '1' ? 'attachment' : 'inline',
      method: req.method,
    },
    objectStoreFor(serverEnv()),
  );
}

export const GET = adminRoute<{ id: string }>(serveFile);
export const HEAD = adminRoute<{ id: string }>(serveFile);
