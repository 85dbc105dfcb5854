import { requireAdminPage } from '@/app/api/admin/_lib/auth';
import { LiveOverview } from '@/components/admin/live-overview';

export const dynamic = 'force-dynamic';

export default async function AdminOverviewPage() {
  await requireAdminPage('/admin');
  return <LiveOverview />;
}
