import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { MAX_CHAT_TEXT_LENGTH } from '../chat/schemas';
import { REACTION_EMOJIS } from '../reactions/schemas';
import { CLIENT_EVENT_NAMES, HANDSHAKE_ERROR_CODES, SERVER_EVENT_NAMES } from './contract';

const here = dirname(fileURLToPath(import.meta.url));
const doc = readFileSync(resolve(here, '../../../docs/realtime-protocol.md'), 'utf8');

describe('docs/realtime-protocol.md matches the contract', () => {
  test.each([...CLIENT_EVENT_NAMES, ...SERVER_EVENT_NAMES])('documents `%s`', (event) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${event}\` +\\|`, 'm'));
  });

  test('names no event the contract lacks', () => {
    const known = new Set<string>([...CLIENT_EVENT_NAMES, ...SERVER_EVENT_NAMES]);
    const documented = [...doc.matchAll(/^\| `([a-z]+(?::[a-z-]+)?)` +\|/gm)].map((m) => m[1]!);
    const events = documented.filter((name) => name.includes(':') || name === 'reaction');
    expect(events.filter((e) => !known.has(e))).toEqual([]);
  });

  test.each(HANDSHAKE_ERROR_CODES)('documents handshake error %s', (code) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${code}\` +\\|`, 'm'));
  });

  test('states the real limits', () => {
    expect(doc).toContain(`text 1–${MAX_CHAT_TEXT_LENGTH} chars`);
    for (const emoji of REACTION_EMOJIS) expect(doc).toContain(emoji);
  });
});

/** The contract is imported by the browser: its module graph must stay free of node-only code. */
describe('contract is browser-safe', () => {
  function imports(file: string): string[] {
    const source = readFileSync(file, 'utf8');
    return [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
  }

  test('runtime imports reach only zod and browser-safe modules', () => {
    const seen = new Set<string>();
    const external = new Set<string>();
    const queue = [join(here, 'contract.ts')];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of imports(file)) {
        if (spec.startsWith('.')) queue.push(`${resolve(dirname(file), spec)}.ts`);
        else external.add(spec);
      }
    }
    expect([...external]).toEqual(['zod']);
    for (const file of seen) expect(readFileSync(file, 'utf8')).not.toMatch(/from 'node:/);
  });
});
