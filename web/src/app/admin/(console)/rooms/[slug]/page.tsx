import { requireAdminPage } from '@/app/api/admin/_lib/auth';
import { RoomDetail } from '@/components/admin/room-detail';

export const dynamic = 'force-dynamic';

export default async function AdminRoomPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireAdminPage(`/admin/rooms/${slug}`);
  return <RoomDetail slug={decodeURIComponent(slug)} />;
}
