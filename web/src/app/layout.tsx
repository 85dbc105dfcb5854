import type { Metadata, Viewport } from 'next';
import localFont from 'next/font/local';
import type { ReactNode } from 'react';
import './globals.css';

// Self-hosted: no request leaves the machine for fonts.
const inter = localFont({ src: './fonts/inter-latin-wght.woff2', variable: '--font-sans', display: 'swap' });

export const metadata: Metadata = {
  title: 'Convene',
  description: 'Self-hosted video meetings',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0f1115' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className={inter.variable}>
      <body>{children}</body>
    </html>
  );
}
