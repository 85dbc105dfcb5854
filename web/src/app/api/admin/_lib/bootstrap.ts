import 'server-only';
import { ensureBootstrapAdmin } from '@convene/api/admin/accounts';
import { serverEnv } from '@/env';
import { webContext } from '@/server/context';

/** At web start: create the first admin from ADMIN_EMAIL/ADMIN_PASSWORD when none exists. */
export async function bootstrapAdmin(): Promise<void> {
  const env = serverEnv();
  if (!env.ADMIN_EMAIL) return;
  const { db, logger } = webContext();
  try {
    if (await ensureBootstrapAdmin(db, env))
      logger.info({ email: env.ADMIN_EMAIL }, 'created the first admin');
  } catch (err) {
    logger.error({ err }, 'could not create the first admin from ADMIN_EMAIL');
  }
}
