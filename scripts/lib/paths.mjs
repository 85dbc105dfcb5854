import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOOLS_DIR = join(ROOT, '.tools');
export const DATA_DIR = join(ROOT, '.data');
export const ARTIFACTS_DIR = join(ROOT, '.artifacts');
