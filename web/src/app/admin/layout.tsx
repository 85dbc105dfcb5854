import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Convene admin', robots: { index: false, follow: false } };

export default function AdminRootLayout({ children }: { children: ReactNode }) {
  return children;
}
