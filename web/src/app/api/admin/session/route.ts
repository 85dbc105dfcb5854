import { adminRoute, json } from '../_lib/auth';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(async ({ session }) =>
  json({ email: session.email, expiresAt: session.expiresAt.toISOString() }),
);
