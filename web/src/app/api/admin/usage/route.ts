import { listSessions, participantMinutesPerDay, topRooms } from '@convene/api/admin/usage';
import { z } from 'zod';
import { webContext } from '@/server/context';
import { adminRoute, json } from '../_lib/auth';

export const dynamic = 'force-dynamic';

const ZQuery = z.object({ days: z.coerce.number().int().min(1).max(90).default(14) });

export const GET = adminRoute(async ({ req }) => {
  const { days } = ZQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const { db } = webContext();
  const [daily, top, sessions] = await Promise.all([
    participantMinutesPerDay(db, days),
    topRooms(db, days, 10),
    listSessions(db, { limit: 20 }),
  ]);
  return json({ days, daily, topRooms: top, sessions });
});
