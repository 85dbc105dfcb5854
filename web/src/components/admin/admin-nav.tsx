'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';

const LINKS = [
  { href: '/admin', label: 'Live' },
  { href: '/admin/history', label: 'History & usage' },
  { href: '/admin/recordings', label: 'Recordings' },
  { href: '/admin/integrations', label: 'Integrations' },
];

export function AdminNav({ email }: { email: string }) {
  const path = usePathname();
  const [leaving, setLeaving] = useState(false);
  async function logout() {
    setLeaving(true);
    await fetch('/api/admin/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
    window.location.href = '/admin/login';
  }
  return (
    <header className="adm-top">
      <Link className="adm-brand" href="/admin">
        Convene admin
      </Link>
      <nav className="adm-nav" aria-label="Admin sections">
        {LINKS.map((l) => {
          const current =
            l.href === '/admin'
              ? path === '/admin' || path.startsWith('/admin/rooms')
              : path.startsWith(l.href);
          return (
            <Link key={l.href} href={l.href} aria-current={current ? 'page' : undefined}>
              {l.label}
            </Link>
          );
        })}
      </nav>
      <div className="adm-who">
        <span className="adm-email">{email}</span>
        <button type="button" className="adm-btn small" onClick={logout} disabled={leaving}>
          Sign out
        </button>
      </div>
    </header>
  );
}
