// Bad input: for each POST/PATCH (and the list queries) a table of invalid requests; each must be
// a 400 problem+json naming the field path, and none may yield a 5xx.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiCall, db, newApiKey } from './support/api-client';
import { uniqueRoom } from './support/tokens';

let key: string;
let room: string;
let webhookId: string;

beforeAll(async () => {
  key = await newApiKey();
  room = uniqueRoom('validation');
  expect((await apiCall('POST', '/rooms', { key, body: { name: room } })).status).toBe(201);
  const hook = await apiCall('POST', '/webhooks', { key, body: { url: 'http://127.0.0.1:9/hook' } });
  expect(hook.status).toBe(201);
  webhookId = (hook.body as { id: string }).id;
});

afterAll(async () => {
  await apiCall('DELETE', `/webhooks/${webhookId}`, { key });
  await db.$disconnect();
});

const huge = 'x'.repeat(5000);
const invalidJson = { raw: '{"name": ' };

type TCase = [label: string, body: unknown, path: string];

const BODY_CASES: Array<{ method: string; path: () => string; cases: TCase[] }> = [
  {
    method: 'POST',
    path: () => '/rooms',
    cases: [
      ['name wrong type', { name: 42 }, 'name'],
      ['name invalid characters', { name: 'Hello World!' }, 'name'],
      ['name huge', { name: huge }, 'name'],
      ['displayName huge', { displayName: huge }, 'displayName'],
      ['maxParticipants string', { maxParticipants: 'ten' }, 'maxParticipants'],
      ['maxParticipants zero', { maxParticipants: 0 }, 'maxParticipants'],
      ['emptyTimeoutSeconds fractional', { emptyTimeoutSeconds: 30.5 }, 'emptyTimeoutSeconds'],
      ['lobbyEnabled string', { lobbyEnabled: 'yes' }, 'lobbyEnabled'],
      ['metadata array', { metadata: [1, 2] }, 'metadata'],
      ['metadata huge', { metadata: { blob: huge } }, 'metadata'],
      ['unknown field', { colour: 'red' }, 'colour'],
      ['body is an array', [], '(body)'],
      ['body is a string', 'room', '(body)'],
      ['invalid JSON', invalidJson, '(body)'],
    ],
  },
  {
    method: 'PATCH',
    path: () => `/rooms/${room}`,
    cases: [
      ['locked string', { locked: 'true' }, 'locked'],
      ['recordingAllowed null', { recordingAllowed: null }, 'recordingAllowed'],
      ['maxParticipants too large', { maxParticipants: 1_000_000 }, 'maxParticipants'],
      ['displayName empty', { displayName: '' }, 'displayName'],
      ['displayName control chars', { displayName: 'a\u0007b' }, 'displayName'],
      ['name is not updatable', { name: 'other-name' }, 'name'],
      ['unknown field', { extra: 1 }, 'extra'],
      ['invalid JSON', invalidJson, '(body)'],
    ],
  },
  {
    method: 'POST',
    path: () => `/rooms/${room}/tokens`,
    cases: [
      ['missing identity', { name: 'Ann' }, 'identity'],
      ['missing name', { identity: 'ann' }, 'name'],
      ['identity with spaces', { identity: 'a b', name: 'Ann' }, 'identity'],
      ['identity huge', { identity: huge, name: 'Ann' }, 'identity'],
      ['unknown role', { identity: 'ann', name: 'Ann', role: 'admin' }, 'role'],
      ['ttl too short', { identity: 'ann', name: 'Ann', ttlSeconds: 5 }, 'ttlSeconds'],
      ['skipPrejoin string', { identity: 'ann', name: 'Ann', skipPrejoin: 'yes' }, 'skipPrejoin'],
      ['unknown field', { identity: 'ann', name: 'Ann', admin: true }, 'admin'],
      ['invalid JSON', invalidJson, '(body)'],
    ],
  },
  {
    method: 'POST',
    path: () => `/rooms/${room}/participants/someone/mute`,
    cases: [
      ['nothing to change', {}, 'audio'],
      ['audio string', { audio: 'on' }, 'audio'],
      ['video number', { video: 1 }, 'video'],
      ['unknown field', { audio: true, screen: true }, 'screen'],
      ['invalid JSON', invalidJson, '(body)'],
    ],
  },
  {
    method: 'POST',
    path: () => `/rooms/${room}/messages`,
    cases: [
      ['missing text', {}, 'text'],
      ['text number', { text: 5 }, 'text'],
      ['text huge', { text: huge }, 'text'],
      ['text only spaces', { text: '   ' }, 'text'],
      ['unknown field', { text: 'hi', senderIdentity: 'spoof' }, 'senderIdentity'],
      ['invalid JSON', invalidJson, '(body)'],
    ],
  },
  {
    method: 'POST',
    path: () => '/webhooks',
    cases: [
      ['missing url', {}, 'url'],
      ['url not a URL', { url: 'not a url' }, 'url'],
      ['url ftp', { url: 'ftp://example.com/hook' }, 'url'],
      ['url huge', { url: `https://example.com/${huge}` }, 'url'],
      ['url private network', { url: 'http://10.1.2.3/hook' }, 'url'],
      ['url cloud metadata', { url: 'http://169.254.169.254/latest' }, 'url'],
      ['unknown event type', { url: 'http://127.0.0.1:9/h', eventTypes: ['room.exploded'] }, 'eventTypes.0'],
      ['empty event types', { url: 'http://127.0.0.1:9/h', eventTypes: [] }, 'eventTypes'],
      ['unknown field', { url: 'http://127.0.0.1:9/h', secret: 'mine' }, 'secret'],
      ['invalid JSON', invalidJson, '(body)'],
    ],
  },
  {
    method: 'PATCH',
    path: () => `/webhooks/${webhookId}`,
    cases: [
      ['enabled string', { enabled: 'no' }, 'enabled'],
      ['javascript url', { url: 'javascript:alert(1)' }, 'url'],
      ['description huge', { description: huge }, 'description'],
      ['unknown field', { state: 'enabled' }, 'state'],
    ],
  },
  {
    method: 'POST',
    path: () => `/webhooks/${webhookId}/rotate-secret`,
    cases: [
      ['negative overlap', { overlapSeconds: -1 }, 'overlapSeconds'],
      ['overlap string', { overlapSeconds: 'a day' }, 'overlapSeconds'],
      ['unknown field', { keepOld: true }, 'keepOld'],
    ],
  },
];

const QUERY_CASES: Array<[label: string, path: () => string, field: string]> = [
  ['rooms limit 0', () => '/rooms?limit=0', 'limit'],
  ['rooms limit text', () => '/rooms?limit=many', 'limit'],
  ['rooms cursor not an id', () => '/rooms?cursor=abc', 'cursor'],
  ['rooms active maybe', () => '/rooms?active=maybe', 'active'],
  ['rooms unknown parameter', () => '/rooms?sort=name', 'sort'],
  ['messages after negative', () => `/rooms/${room}/messages?after=-1`, 'after'],
  ['messages limit too big', () => `/rooms/${room}/messages?limit=5000`, 'limit'],
  ['sessions cursor not an id', () => `/rooms/${room}/sessions?cursor=x`, 'cursor'],
  ['deliveries limit text', () => `/webhooks/${webhookId}/deliveries?limit=x`, 'limit'],
];

function expectFieldError(res: Awaited<ReturnType<typeof apiCall>>, path: string) {
  expect(res.status, res.text).toBe(400);
  expect(res.contentType).toContain('application/problem+json');
  const body = res.body as { code: string; errors: { path: string; message: string }[] };
  expect(body.code).toBe('VALIDATION_FAILED');
  expect(body.errors.map((e) => e.path)).toContain(path);
  expect(res.text).not.toMatch(/at .+\.(ts|js):\d+|ZodError|prisma/i);
}

describe.each(BODY_CASES)('$method body validation', ({ method, path, cases }) => {
  test.each(cases.map(([label, body, field]) => [`${label} → 400 naming ${field}`, body, field] as const))(
    '%s',
    async (_title, body, field) => {
      const raw =
        body && typeof body === 'object' && 'raw' in body ? (body as { raw: string }).raw : undefined;
      const res = await apiCall(method, path(), raw === undefined ? { key, body } : { key, rawBody: raw });
      expectFieldError(res, field);
    },
  );
});

describe('query validation', () => {
  test.each(QUERY_CASES)('%s → 400', async (_label, path, field) => {
    expectFieldError(await apiCall('GET', path(), { key }), field);
  });
});

describe('never a 5xx for bad input', () => {
  test('a body over 64 KiB → 413 problem+json', async () => {
    const res = await apiCall('POST', '/rooms', {
      key,
      rawBody: JSON.stringify({ displayName: 'x'.repeat(70_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  test.each([
    ['GET', '/rooms/%zz'],
    ['GET', '/rooms/UPPER%20CASE'],
    ['GET', '/webhooks/not-a-uuid'],
    ['GET', '/webhooks/not-a-uuid/deliveries'],
    ['POST', '/webhooks/00000000-0000-4000-8000-000000000000/deliveries/nope/replay'],
    ['DELETE', '/rooms/a/participants/b'],
  ])('%s %s → 404, not 5xx', async (method, path) => {
    const res = await apiCall(method, path, { key });
    expect(res.status).toBe(404);
    expect(res.contentType).toContain('application/problem+json');
  });

  test('wrong content type and binary garbage → 400', async () => {
    const res = await apiCall('POST', '/rooms', {
      key,
      rawBody: '\u0000\u0001\u0002',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expectFieldError(res, '(body)');
  });
});
