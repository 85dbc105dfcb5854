import { NextResponse } from 'next/server';

/**
 * REST API v1 only: a path with a malformed percent-escape (e.g. `/api/v1/rooms/%zz`) makes the
 * router fail before any handler runs (a bare 500). Answer it here as a 404 problem+json, like
 * any other name that cannot exist.
 */
export function proxy(request: Request): Response | undefined {
  try {
    decodeURIComponent(new URL(request.url).pathname);
    return NextResponse.next();
  } catch {
    return Response.json(
      {
        type: 'about:blank',
        title: 'Not found.',
        status: 404,
        code: 'NOT_FOUND',
        detail: 'The path is not valid.',
      },
      { status: 404, headers: { 'content-type': 'application/problem+json' } },
    );
  }
}

export const config = { matcher: '/api/v1/:path*' };
