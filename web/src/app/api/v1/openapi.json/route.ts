import { buildOpenApiDocument } from '@convene/api/rest/openapi';
import { serverEnv } from '@/env';

export const dynamic = 'force-dynamic';

/** The OpenAPI 3.1 document, generated from the zod schemas the handlers validate with. Public. */
export function GET(): Response {
  const doc = buildOpenApiDocument(new URL('/api/v1', serverEnv().PUBLIC_URL).toString());
  return Response.json(doc, { headers: { 'cache-control': 'public, max-age=60' } });
}
