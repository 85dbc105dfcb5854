import { z } from 'zod';
import { ERROR_CATALOG } from '../errors';
import { OPS, type TOperation } from './operations';
import { ZProblem } from './schemas';

type TJsonSchema = Record<string, unknown>;

const PATH_PARAMS: Record<string, { description: string; schema: TJsonSchema }> = {
  room: { description: 'Room name', schema: { type: 'string' } },
  identity: { description: 'Participant identity', schema: { type: 'string' } },
  id: { description: 'Webhook endpoint or recording id', schema: { type: 'string', format: 'uuid' } },
  deliveryId: { description: 'Delivery id', schema: { type: 'string', format: 'uuid' } },
};

const ERROR_STATUSES: Record<number, string> = {
  400: 'Invalid input (`errors` lists field paths)',
  401: 'Missing, invalid or revoked API key',
  403: 'The API key lacks a required scope',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  422: 'Idempotency key reused with a different request',
  423: 'Room locked',
  429: 'Rate limited (see Retry-After)',
  503: 'A dependency (LiveKit, realtime) is unavailable',
};

/**
 * Converts zod schemas to JSON Schema 2020-12 (native in OpenAPI 3.1), hoisting every schema with
 * a `.meta({ id })` into `components.schemas`.
 */
class SchemaCollector {
  readonly components: Record<string, TJsonSchema> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): TJsonSchema {
    const json = z.toJSONSchema(schema, {
      io,
      unrepresentable: 'any',
      target: 'draft-2020-12',
    }) as TJsonSchema;
    const defs = (json.$defs ?? {}) as Record<string, TJsonSchema>;
    delete json.$defs;
    delete json.$schema;
    const rename: Record<string, string> = {};
    for (const [id, def] of Object.entries(defs)) {
      const existing = this.components[id];
      const name =
        existing && JSON.stringify(existing) !== JSON.stringify(def)
          ? `${id}${io === 'input' ? 'Input' : 'Output'}`
          : id;
      rename[id] = name;
    }
    const rewrite = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (node && typeof node === 'object') {
        const out: TJsonSchema = {};
        for (const [k, v] of Object.entries(node)) {
          out[k] =
            k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
              ? `#/components/schemas/${rename[v.slice(8)] ?? v.slice(8)}`
              : rewrite(v);
        }
        return out;
      }
      return node;
    };
    for (const [id, def] of Object.entries(defs)) this.components[rename[id]!] = rewrite(def) as TJsonSchema;
    return rewrite(json) as TJsonSchema;
  }
}

function pathParams(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    ...PATH_PARAMS[name!]!,
  }));
}

function queryParams(collector: SchemaCollector, query: z.ZodType | undefined) {
  if (!query) return [];
  const json = collector.convert(query, 'input') as {
    properties?: Record<string, TJsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema as { description?: string };
    return {
      name,
      in: 'query',
      required: json.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** The OpenAPI 3.1 document of REST API v1, generated from the operations' zod schemas. */
export function buildOpenApiDocument(serverUrl: string) {
  const collector = new SchemaCollector();
  const problemRef = collector.convert(ZProblem, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of Object.values(OPS) as TOperation[]) {
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(operation.responses)) {
      if (r.mediaTypes) {
        responses[status] = {
          description: r.description,
          content: Object.fromEntries(
            r.mediaTypes.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }]),
          ),
        };
        continue;
      }
      responses[status] = r.schema
        ? {
            description: r.description,
            content: { 'application/json': { schema: collector.convert(r.schema, 'output') } },
          }
        : { description: r.description };
    }
    const errorStatuses = [400, 401, 403, 404, 413, 429, 503];
    if (operation.method === 'post') errorStatuses.push(409, 422);
    if (operation.operationId === 'createToken') errorStatuses.push(423);
    errorStatuses.push(...(operation.extraErrors ?? []));
    for (const status of errorStatuses.sort()) {
      responses[status] = {
        description: ERROR_STATUSES[status],
        content: { 'application/problem+json': { schema: problemRef } },
        ...(status === 429
          ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } }
          : {}),
      };
    }
    const parameters: unknown[] = [...pathParams(operation.path), ...queryParams(collector, operation.query)];
    if (operation.method === 'post') {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'Same key + same body → the same response, once; same key + different body → 422.',
        schema: { type: 'string', maxLength: 255 },
      });
    }
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = {
      operationId: operation.operationId,
      summary: operation.summary,
      tags: [operation.tag],
      security: [{ apiKey: operation.scopes }],
      description: `Requires scope(s): ${operation.scopes.map((s) => `\`${s}\``).join(', ')}.`,
      ...(parameters.length ? { parameters } : {}),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: collector.convert(operation.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Convene REST API',
      version: '1.0.0',
      description:
        'Integrator API for Convene. Authenticate with `Authorization: Bearer <API key>` (keys are created with ' +
        '`npm run --silent apikey -- create`). Errors are `application/problem+json` with a stable `code` ' +
        `(${Object.keys(ERROR_CATALOG).join(', ')}).`,
    },
    servers: [{ url: serverUrl }],
    tags: ['Rooms', 'Participants', 'Messages', 'Sessions', 'Recordings', 'Webhooks'].map((name) => ({
      name,
    })),
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (cvn_…)' } },
      schemas: collector.components,
    },
  };
}
