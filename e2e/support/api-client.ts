// REST API v1 test client: keys through the domain (same DB as the running app), requests
// against the running Next.js server, and response validation against the SERVED OpenAPI
// document with Ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
import { createApiKey } from '@convene/api/apikeys/api-keys';
import type { TScope } from '@convene/api/apikeys/scopes';
import { SCOPES } from '@convene/api/apikeys/scopes';
import { createDb } from '@convene/api/db/client';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { testEnv } from './env';

export const db = createDb(testEnv.databaseUrl, { poolSize: 3 });

export async function newApiKey(
  scopes: readonly TScope[] = SCOPES,
  rateLimitPerMinute?: number,
): Promise<string> {
  const { key } = await createApiKey(db, {
    name: `test-${Date.now()}`,
    scopes: [...scopes],
    rateLimitPerMinute: rateLimitPerMinute ?? 100_000,
  });
  return key;
}

export interface TApiResponse {
  status: number;
  headers: Headers;
  contentType: string;
  body: unknown;
  text: string;
}

export async function apiCall(
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<TApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${testEnv.webUrl}/api/v1${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return {
    status: res.status,
    headers: res.headers,
    contentType: res.headers.get('content-type') ?? '',
    body: parsed,
    text,
  };
}

type TDoc = {
  paths: Record<
    string,
    Record<string, { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> }>
  >;
};

/** Validates responses against the served OpenAPI document and records which operations were covered. */
export class OpenApiContract {
  readonly covered = new Map<string, Set<number>>();
  private readonly ajv: Ajv2020;

  private constructor(readonly doc: TDoc) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
    addFormats(this.ajv);
    this.ajv.addSchema(doc as object, 'openapi.json');
  }

  static async load(): Promise<OpenApiContract> {
    const res = await fetch(`${testEnv.webUrl}/api/v1/openapi.json`);
    if (!res.ok) throw new Error(`openapi.json: HTTP ${res.status}`);
    return new OpenApiContract((await res.json()) as TDoc);
  }

  /** Every operation id in the document. */
  operationIds(): string[] {
    return Object.values(this.doc.paths).flatMap((methods) =>
      Object.values(methods).map((o) => o.operationId),
    );
  }

  /** Throws unless the response's status, content type and body match the operation's documented response. */
  check(method: string, template: string, response: TApiResponse): void {
    const operation = this.doc.paths[template]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${template} is not in the OpenAPI document`);
    const documented = operation.responses[String(response.status)];
    if (!documented) {
      throw new Error(
        `${method} ${template}: status ${response.status} is not documented (body ${response.text.slice(0, 300)})`,
      );
    }
    const ptr = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');
    if (!documented.content) {
      if (response.text !== '')
        throw new Error(`${method} ${template}: expected an empty body for ${response.status}`);
    } else {
      const mediaType = Object.keys(documented.content).find((t) => response.contentType.startsWith(t));
      if (!mediaType) {
        throw new Error(
          `${method} ${template}: content-type ${response.contentType} not documented for ${response.status}`,
        );
      }
      const ref = `openapi.json#/paths/${ptr(template)}/${method.toLowerCase()}/responses/${response.status}/content/${ptr(mediaType)}/schema`;
      const validate = this.ajv.getSchema(ref) ?? this.ajv.compile({ $ref: ref });
      if (!validate(response.body)) {
        throw new Error(
          `${method} ${template} ${response.status} does not match the OpenAPI document: ${this.ajv.errorsText(validate.errors)}\n${response.text.slice(0, 500)}`,
        );
      }
    }
    const seen = this.covered.get(operation.operationId) ?? new Set<number>();
    seen.add(response.status);
    this.covered.set(operation.operationId, seen);
  }
}

export async function eventually<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
  label = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${label} not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
