import { describe, expect, test } from 'vitest';
import { apiKeyMatches, generateApiKey, hashApiKey, parseApiKey } from './key-format';
import { hasScopes, parseScopeList, SCOPES } from './scopes';

describe('API key format', () => {
  test('a generated key parses to its prefix and matches only its own hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key.startsWith(`${a.prefix}_`)).toBe(true);
    expect(parseApiKey(a.key)).toEqual({ prefix: a.prefix });
    expect(a.keyHash).toBe(hashApiKey(a.key));
    expect(a.keyHash).not.toContain(a.key.slice(13));
    expect(apiKeyMatches(a.key, a.keyHash)).toBe(true);
    expect(apiKeyMatches(b.key, a.keyHash)).toBe(false);
  });

  test.each([
    '',
    'cvn_',
    'cvn_1234567_x',
    `cvn_zzzzzzzz_${'a'.repeat(43)}`,
    `cvn_12345678_${'a'.repeat(42)}`,
  ])('rejects malformed key %j', (key) => {
    expect(parseApiKey(key)).toBeNull();
  });
});

describe('scopes', () => {
  test('parses a comma list, dedupes, and * means all', () => {
    expect(parseScopeList('rooms:read, rooms:read,tokens:write')).toEqual(['rooms:read', 'tokens:write']);
    expect(parseScopeList('*')).toEqual([...SCOPES]);
    expect(() => parseScopeList('rooms:admin')).toThrow();
    expect(() => parseScopeList('')).toThrow();
  });

  test('every required scope must be granted', () => {
    expect(hasScopes(['rooms:read', 'rooms:write'], ['rooms:write'])).toBe(true);
    expect(hasScopes(['rooms:read'], ['rooms:read', 'rooms:write'])).toBe(false);
  });
});
