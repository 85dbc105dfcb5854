import { AppError } from '@convene/api/errors';
import { ZIdParam } from '@convene/api/rest/schemas';

/** A malformed id cannot name an existing resource: 404, not 400. */
export function endpointIdParam(raw: string | undefined): string {
  const parsed = ZIdParam.safeParse(raw);
  if (!parsed.success) throw new AppError('NOT_FOUND', 'No such webhook endpoint.');
  return parsed.data;
}

export function deliveryIdParam(raw: string | undefined): string {
  const parsed = ZIdParam.safeParse(raw);
  if (!parsed.success) throw new AppError('NOT_FOUND', 'No such delivery for this endpoint.');
  return parsed.data;
}
