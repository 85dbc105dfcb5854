import { requireAdminPage } from '@/app/api/admin/_lib/auth';
import { UsageView } from '@/components/admin/usage-view';

export const dynamic = 'force-dynamic';

export default async function AdminHistoryPage() {
  await requireAdminPage('/admin/history');
  return <UsageView />;
}
