import { requireAdminPage } from '@/app/api/admin/_lib/auth';
import { IntegrationsView } from '@/components/admin/integrations-view';

export const dynamic = 'force-dynamic';

export default async function AdminIntegrationsPage() {
  await requireAdminPage('/admin/integrations');
  return <IntegrationsView />;
}
