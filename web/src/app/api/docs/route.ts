import { buildOpenApiDocument } from '@convene/api/rest/openapi';
import { serverEnv } from '@/env';

export const dynamic = 'force-dynamic';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type TSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, TSchema>;
  required?: string[];
  description?: string;
  items?: TSchema;
  enum?: unknown[];
  anyOf?: TSchema[];
};

function typeOf(s: TSchema | undefined): string {
  if (!s) return '';
  if (s.$ref) return s.$ref.split('/').pop()!;
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ');
  if (s.type === 'array') return `${typeOf(s.items)}[]`;
  return Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
}

function schemaTable(name: string, s: TSchema): string {
  const rows = Object.entries(s.properties ?? {})
    .map(
      ([prop, p]) =>
        `<tr><td><code>${escapeHtml(prop)}</code>${s.required?.includes(prop) ? ' *' : ''}</td><td>${escapeHtml(typeOf(p))}</td><td>${escapeHtml(p.description ?? '')}</td></tr>`,
    )
    .join('');
  return `<h3 id="schema-${escapeHtml(name)}">${escapeHtml(name)}</h3><table><tr><th>field</th><th>type</th><th>notes</th></tr>${rows}</table>`;
}

/** Human-readable API reference rendered on the server from the OpenAPI document (no external assets). */
export function GET(): Response {
  const doc = buildOpenApiDocument(new URL('/api/v1', serverEnv().PUBLIC_URL).toString());
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, o]) => ({ path, method, o: o as Record<string, unknown> })),
  );
  const opHtml = ops
    .map(({ path, method, o }) => {
      const body = (o.requestBody as { content: { 'application/json': { schema: TSchema } } } | undefined)
        ?.content['application/json'].schema;
      const ok = Object.entries(
        o.responses as Record<string, { content?: Record<string, { schema: TSchema }> }>,
      )
        .filter(([status]) => Number(status) < 400)
        .map(
          ([status, r]) =>
            `${status} ${escapeHtml(typeOf(r.content?.['application/json']?.schema) || '(empty)')}`,
        )
        .join(', ');
      return `<section><h3><span class="m">${method.toUpperCase()}</span> <code>/api/v1${escapeHtml(path)}</code></h3>
<p>${escapeHtml(String(o.summary))}. ${escapeHtml(String(o.description))}</p>
<p>${body ? `Body: <a href="#schema-${escapeHtml(typeOf(body))}">${escapeHtml(typeOf(body))}</a>. ` : ''}Success: ${ok}.</p></section>`;
    })
    .join('\n');
  const schemas = Object.entries(doc.components.schemas)
    .map(([name, s]) => schemaTable(name, s as TSchema))
    .join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Convene REST API v1</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
code{background:#f1f3f5;padding:0 .25rem;border-radius:3px}.m{display:inline-block;min-width:4.5rem;font-family:monospace;color:#0b5cad}
section{border-top:1px solid #dde1e5;padding:.25rem 0}table{border-collapse:collapse;margin-bottom:1rem}td,th{border:1px solid #dde1e5;padding:.2rem .5rem;text-align:left;vertical-align:top}</style>
</head><body><h1>Convene REST API v1</h1>
<p>${escapeHtml(doc.info.description)}</p>
<p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). Errors: <code>application/problem+json</code>. POSTs accept <code>Idempotency-Key</code>.</p>
<h2>Operations</h2>${opHtml}<h2>Schemas</h2>${schemas}</body></html>`;
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}
