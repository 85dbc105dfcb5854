import { z } from 'zod';

export const ZRoomSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, 'must be at least 3 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use letters, digits and single hyphens');

export const ZDisplayName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64, 'must be at most 64 characters')
  .refine(
    (s) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f),
    'must not contain control characters',
  );

export const ZCreateRoom = z
  .object({
    name: ZRoomSlug.optional(),
  })
  .strict();
export type TCreateRoom = z.infer<typeof ZCreateRoom>;

export const ZJoinRequest = z.object({ name: ZDisplayName }).strict();
export type TJoinRequest = z.infer<typeof ZJoinRequest>;
