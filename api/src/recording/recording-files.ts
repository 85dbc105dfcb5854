import { unlink } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { S3ObjectStore } from './object-store';

/**
 * Removes a recording's file; a file that is already gone (or never existed) is fine. A local
 * absolute path is unlinked; an object-store location (LiveKit Egress to S3) is deleted from the
 * bucket when `objectStore` holds it, and left alone otherwise (not ours to reach).
 */
export async function deleteRecordingFile(
  filePath: string | null,
  objectStore: S3ObjectStore | null = null,
): Promise<void> {
  if (!filePath) return;
  if (!isAbsolute(filePath)) {
    const key = objectStore?.keyOf(filePath);
    if (objectStore && key) await objectStore.delete(key);
    return;
  }
  try {
    await unlink(filePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
