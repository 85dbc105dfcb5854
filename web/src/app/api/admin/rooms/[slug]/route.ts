import { getRoomDetail } from '@convene/api/admin/room-detail';
import { webContext } from '@/server/context';
import { adminRoute, json } from '../../_lib/auth';
import { adminContext } from '../../_lib/context';

export const dynamic = 'force-dynamic';

export const GET = adminRoute<{ slug: string }>(async ({ params }) =>
  json(await getRoomDetail(webContext().db, adminContext().roomAdmin, decodeURIComponent(params.slug))),
);
