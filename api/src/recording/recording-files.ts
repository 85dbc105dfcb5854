import { unlink } from 'node:fs/promises';
import { isAbsolute } from 'node:path';

/**
 * Removes a recording's file; a file that is already gone (or never existed) is fine. Only local
 * absolute paths: an object-store location (LiveKit Egress to S3) is not ours to unlink here.
 */
export async function deleteRecordingFile(filePath: string | null): Promise<void> {
  if (!filePath || !isAbsolute(filePath)) return;
  try {
    await unlink(filePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
