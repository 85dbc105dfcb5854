import { requireAdminPage } from '@/app/api/admin/_lib/auth';
import { RecordingsView } from '@/components/admin/recordings-view';

export const dynamic = 'force-dynamic';

export default async function AdminRecordingsPage() {
  await requireAdminPage('/admin/recordings');
  return <RecordingsView />;
}
