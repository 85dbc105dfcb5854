import type { Pool } from 'pg';
import type { Db } from '../db/client';

/**
 * The chat write path's SQL runner. The realtime server gives it a small `pg` pool of its own:
 * the hot path (one statement per group commit) skips the ORM's per-query overhead; elsewhere
 * Prisma runs the same SQL.
 */
export interface TSqlClient {
  /**
   * `name` marks a hot statement: pg prepares it once per connection, so PostgreSQL parses and
   * plans it once instead of on every group commit (Prisma ignores it).
   */
  query<T>(text: string, values: unknown[], name?: string): Promise<T[]>;
}

export function prismaSql(db: Db): TSqlClient {
  return { query: <T>(text: string, values: unknown[]) => db.$queryRawUnsafe<T[]>(text, ...values) };
}

export function pgSql(pool: Pool): TSqlClient {
  return {
    query: async <T>(text: string, values: unknown[], name?: string) =>
      (await pool.query(name ? { name, text, values } : { text, values })).rows as T[],
  };
}
