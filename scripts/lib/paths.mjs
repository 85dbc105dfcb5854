import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOOLS_DIR = join(ROOT, '.tools');
/** Local state (embedded database, dev keys, recordings); CONVENE_DATA_DIR moves it (tests do). */
export const DATA_DIR = process.env.CONVENE_DATA_DIR || join(ROOT, '.data');
export const ARTIFACTS_DIR = join(ROOT, '.artifacts');
