import type { ReactNode } from 'react';
import { requireAdminPage } from '@/app/api/admin/_lib/auth';
import { AdminNav } from '@/components/admin/admin-nav';

export const dynamic = 'force-dynamic';

/** Every console page is behind an admin session (pages also check: layouts are cached on navigation). */
export default async function AdminConsoleLayout({ children }: { children: ReactNode }) {
  const session = await requireAdminPage();
  return (
    <div className="adm">
      <AdminNav email={session.email} />
      <main className="adm-main">{children}</main>
    </div>
  );
}
