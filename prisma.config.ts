// Prisma CLI config (6.19): the JS engine + pg adapter lets `prisma migrate diff/dev` run offline.
import { PrismaPg } from '@prisma/adapter-pg';
import type { PrismaConfig } from 'prisma';

const connectionString = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export default {
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  adapter: async () => new PrismaPg({ connectionString }),
} satisfies PrismaConfig;
