import { z } from 'zod';

/** Every permission an integrator API key can hold. Routes name the scopes they need. */
export const SCOPES = [
  'rooms:read',
  'rooms:write',
  'tokens:write',
  'participants:read',
  'participants:write',
  'messages:read',
  'messages:write',
  'recordings:read',
  'recordings:write',
  'webhooks:read',
  'webhooks:write',
] as const;

export const ZScope = z.enum(SCOPES);
export type TScope = z.infer<typeof ZScope>;

/** Parses `a,b,c` (the CLI's --scopes); `*` means every scope. */
export function parseScopeList(list: string): TScope[] {
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.includes('*')) return [...SCOPES];
  return [...new Set(z.array(ZScope).min(1, 'at least one scope is required').parse(items))];
}

export function hasScopes(granted: readonly string[], required: readonly TScope[]): boolean {
  return required.every((scope) => granted.includes(scope));
}
