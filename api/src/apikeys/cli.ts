import { z } from 'zod';
import { createDb } from '../db/client';
import { isAppError } from '../errors';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys';
import { parseScopeList, SCOPES } from './scopes';

export interface TApiKeyCommand {
  databaseUrl: string;
  command: string;
  args: string[];
  name?: string;
  scopes?: string;
  rateLimit?: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The `apikey` CLI's commands; stdout carries only the result (the key for `create`). */
export async function runApiKeyCommand(cmd: TApiKeyCommand): Promise<number> {
  const db = createDb(cmd.databaseUrl, { poolSize: 1 });
  try {
    if (cmd.command === 'create') {
      if (!cmd.name) throw new UsageError('--name is required');
      if (!cmd.scopes) throw new UsageError(`--scopes is required (any of: ${SCOPES.join(', ')}, or *)`);
      const scopes = parseScopeList(cmd.scopes);
      const rateLimitPerMinute =
        cmd.rateLimit === undefined ? null : z.coerce.number().int().min(1).parse(cmd.rateLimit);
      const { key, info } = await createApiKey(db, { name: cmd.name, scopes, rateLimitPerMinute });
      cmd.err(
        `created API key ${info.prefix} "${info.name}" with scopes ${info.scopes.join(',')} (shown once)`,
      );
      cmd.out(key);
      return 0;
    }
    if (cmd.command === 'list') {
      for (const k of await listApiKeys(db)) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        const used = k.lastUsedAt ? k.lastUsedAt.toISOString() : 'never';
        cmd.out([k.prefix, k.name, k.scopes.join(','), `last used ${used}`, state].join('\t'));
      }
      return 0;
    }
    if (cmd.command === 'revoke') {
      const prefix = cmd.args[0];
      if (!prefix) throw new UsageError('revoke needs the key prefix (see `list`)');
      const info = await revokeApiKey(db, prefix);
      cmd.err(`revoked ${info.prefix} "${info.name}"`);
      return 0;
    }
    throw new UsageError(`unknown command ${cmd.command}`);
  } catch (error) {
    if (error instanceof UsageError) {
      cmd.err(error.message);
      return 2;
    }
    if (error instanceof z.ZodError) {
      cmd.err(error.issues.map((i) => i.message).join('; '));
      return 2;
    }
    if (isAppError(error)) {
      cmd.err(error.message);
      return 1;
    }
    throw error;
  } finally {
    await db.$disconnect();
  }
}

class UsageError extends Error {}
