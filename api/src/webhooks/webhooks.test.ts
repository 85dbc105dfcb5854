import { Webhook } from 'standardwebhooks';
import { describe, expect, test } from 'vitest';
import { nextAttemptAt, shouldDisableEndpoint } from './retry-policy';
import { decryptSecret, deriveSecretsKey, encryptSecret, generateWebhookSecret } from './secrets';
import { signWebhook } from './sign';
import { createUrlPolicy, defaultAllowedNetworks } from './url-policy';

describe('retry policy', () => {
  const policy = { baseMs: 5_000, maxDelayMs: 6 * 3600_000, windowMs: 24 * 3600_000 };

  test('backs off exponentially with jitter and gives up after the ~24 h window', () => {
    const created = new Date(0);
    let now = created;
    const delays: number[] = [];
    for (let attempts = 1; ; attempts++) {
      const next = nextAttemptAt(policy, attempts, created, now, () => 0.5);
      if (!next) break;
      delays.push(next.getTime() - now.getTime());
      now = next;
    }
    expect(delays.slice(0, 4)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(Math.max(...delays)).toBe(6 * 3600_000);
    expect(now.getTime()).toBeGreaterThan(18 * 3600_000);
    expect(now.getTime()).toBeLessThanOrEqual(24 * 3600_000);
  });

  test.each([0, 1])('jitter stays within ±25 %% (random=%s)', (r) => {
    const at = nextAttemptAt(policy, 3, new Date(0), new Date(0), () => r)!;
    expect(at.getTime()).toBe(r === 0 ? 15_000 : 25_000);
  });

  test('an endpoint is disabled only after failing continuously for the configured time', () => {
    const day = 24 * 3600_000;
    expect(shouldDisableEndpoint(null, new Date(10 * day), day)).toBe(false);
    expect(shouldDisableEndpoint(new Date(0), new Date(day - 1), day)).toBe(false);
    expect(shouldDisableEndpoint(new Date(0), new Date(day), day)).toBe(true);
  });
});

describe('endpoint secrets at rest', () => {
  test('AES-256-GCM round trip; ciphertext never contains the secret; a wrong key fails', () => {
    const key = deriveSecretsKey('s'.repeat(40));
    const secret = generateWebhookSecret();
    const stored = encryptSecret(key, secret);
    expect(stored).not.toContain(secret.slice(6));
    expect(decryptSecret(key, stored)).toBe(secret);
    expect(encryptSecret(key, secret)).not.toBe(stored);
    expect(() => decryptSecret(deriveSecretsKey('t'.repeat(40)), stored)).toThrow();
  });
});

describe('signing', () => {
  test('signatures verify with the reference library, with either secret during a rotation', () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const body = JSON.stringify({ type: 'room.started', data: {} });
    const headers = signWebhook([newSecret, oldSecret], 'msg_1', new Date(), body);
    expect(new Webhook(newSecret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(oldSecret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(newSecret).verify(`${body} `, headers)).toThrow();
  });
});

describe('URL policy (SSRF)', () => {
  test.each([
    ['93.184.216.34', [], true],
    ['10.0.0.5', [], false],
    ['172.20.1.1', [], false],
    ['192.168.1.1', [], false],
    ['127.0.0.1', [], false],
    ['169.254.169.254', [], false],
    ['::1', [], false],
    ['::ffff:127.0.0.1', [], false],
    ['fd00::1', [], false],
    ['127.0.0.1', ['loopback'], true],
    ['10.0.0.5', ['loopback'], false],
    ['10.0.0.5', ['10.0.0.0/8'], true],
    ['192.168.1.1', ['private'], true],
  ] as const)('%s with %j allowed → %s', (address, allowed, expected) => {
    expect(createUrlPolicy([...allowed]).isAddressAllowed(address)).toBe(expected);
  });

  test('loopback is allowed by default only for a loopback PUBLIC_URL', () => {
    expect(defaultAllowedNetworks('http://localhost:3000', undefined)).toEqual(['loopback']);
    expect(defaultAllowedNetworks('https://meet.example.com', undefined)).toEqual([]);
    expect(defaultAllowedNetworks('https://meet.example.com', ['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
  });
});
