import { objectStoreFor } from '@convene/api/recording/object-store';
import { deleteAdminRecording } from '@convene/api/recording/recordings-admin';
import { serverEnv } from '@/env';
import { webContext } from '@/server/context';
import { actorFor, adminRoute } from '../../_lib/auth';

export const dynamic = 'force-dynamic';

/** Deletes a finished recording (file, row, audit entry); 409 while it is still recording. */
export const DELETE = adminRoute<{ id: string }>(async ({ session, params }) => {
  await deleteAdminRecording(webContext().db, actorFor(session), params.id, objectStoreFor(serverEnv()));
  return new Response(null, { status: 204 });
});
