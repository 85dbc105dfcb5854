import type { NextConfig } from 'next';

const config: NextConfig = {
  // Lets parallel test runs on one checkout build into separate folders (CONVENE_NEXT_DIST_DIR).
  distDir: process.env.CONVENE_NEXT_DIST_DIR ?? '.next',
  // Domain code lives in the api workspace as TypeScript sources.
  transpilePackages: ['@convene/api'],
  serverExternalPackages: ['pino', 'pg', '@prisma/client', '@prisma/adapter-pg', 'livekit-server-sdk'],
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: false },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'Permissions-Policy', value: 'camera=(self), microphone=(self), display-capture=(self)' },
        ],
      },
    ];
  },
};

export default config;
