import { describe, expect, test } from 'vitest';
import { requestFingerprint } from './idempotency';
import { buildJoinUrl, readJoinLink } from './join-link';
import { buildOpenApiDocument } from './openapi';
import { OPS } from './operations';
import { ZCreateRoomBody } from './schemas';
import { fieldErrors } from './validation';

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument('http://localhost:3000/api/v1');

  test('has one operation per route, each with scopes and problem responses', () => {
    const ops = Object.values(doc.paths).flatMap(
      (methods) => Object.values(methods) as Record<string, unknown>[],
    );
    expect(ops).toHaveLength(Object.keys(OPS).length);
    for (const op of ops) {
      expect((op.security as { apiKey: string[] }[])[0]!.apiKey.length).toBeGreaterThan(0);
      expect(Object.keys(op.responses as object)).toEqual(
        expect.arrayContaining(['400', '401', '403', '404', '429']),
      );
    }
  });

  test('the recording download is a file (WebM or MP4) with 206 and an empty 416; delete can 409', () => {
    type TOp = { responses: Record<string, { content?: Record<string, unknown> }> };
    const download = (doc.paths['/recordings/{id}/download'] as Record<string, TOp>).get!;
    expect(Object.keys(download.responses['200']!.content!)).toEqual(['video/webm', 'video/mp4']);
    expect(Object.keys(download.responses['206']!.content!)).toEqual(['video/webm', 'video/mp4']);
    expect(download.responses['416']).toEqual({ description: expect.any(String) });
    const recording = doc.paths['/recordings/{id}'] as Record<string, TOp>;
    expect(recording.delete!.responses['409']).toBeDefined();
    expect(recording.get!.responses['409']).toBeUndefined();
    expect(doc.tags.map((t) => t.name)).toContain('Recordings');
  });

  test('request bodies are closed (unknown fields are rejected, as the handlers do)', () => {
    expect(doc.components.schemas.CreateRoom).toMatchObject({ additionalProperties: false });
    expect(JSON.stringify(doc)).not.toContain('#/$defs/');
  });
});

describe('validation errors', () => {
  test('unknown keys are reported with their own path', () => {
    const result = ZCreateRoomBody.safeParse({ colour: 'red', maxParticipants: 'x' });
    expect(result.success).toBe(false);
    const paths = fieldErrors(result.error!).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['colour', 'maxParticipants']));
  });
});

describe('join links', () => {
  test('carry the token in the fragment and round-trip', () => {
    const url = buildJoinUrl('https://meet.example.com', 'abc-defg-hij', 'tok.en.x', true);
    expect(url).toBe('https://meet.example.com/r/abc-defg-hij#token=tok.en.x&skipPrejoin=1');
    expect(readJoinLink(new URL(url).hash)).toEqual({ token: 'tok.en.x', skipPrejoin: true });
    expect(readJoinLink('')).toBeNull();
    expect(readJoinLink('#skipPrejoin=1')).toBeNull();
  });
});

describe('idempotency fingerprint', () => {
  test('the same JSON object in another key order or spacing is the same request', () => {
    const a = requestFingerprint(
      'POST',
      '/api/v1/rooms',
      '{"name":"x","lobby":{"enabled":true,"skip":[1,2]}}',
    );
    const b = requestFingerprint(
      'POST',
      '/api/v1/rooms',
      '{ "lobby": { "skip": [1, 2], "enabled": true }, "name": "x" }',
    );
    expect(a).toBe(b);
  });

  test('a different value, array order, path or method is a different request', () => {
    const base = requestFingerprint('POST', '/api/v1/rooms', '{"name":"x","skip":[1,2]}');
    expect(requestFingerprint('POST', '/api/v1/rooms', '{"name":"y","skip":[1,2]}')).not.toBe(base);
    expect(requestFingerprint('POST', '/api/v1/rooms', '{"name":"x","skip":[2,1]}')).not.toBe(base);
    expect(requestFingerprint('POST', '/api/v1/rooms/x', '{"name":"x","skip":[1,2]}')).not.toBe(base);
    expect(requestFingerprint('PATCH', '/api/v1/rooms', '{"name":"x","skip":[1,2]}')).not.toBe(base);
    // Not JSON: compared as sent.
    expect(requestFingerprint('POST', '/p', 'not json')).not.toBe(
      requestFingerprint('POST', '/p', 'not  json'),
    );
  });
});
