import { LoginForm } from '@/components/admin/login-form';

export const dynamic = 'force-dynamic';

export default async function AdminLoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <main className="adm-login">
      <div className="adm-card">
        <h1 className="adm-h1" style={{ marginBottom: 16 }}>
          Convene admin
        </h1>
        <LoginForm next={typeof next === 'string' ? next : '/admin'} />
      </div>
    </main>
  );
}
