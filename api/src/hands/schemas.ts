import { z } from 'zod';

export const ZHandRaise = z.object({}).strict();
/** Without identity: lower your own hand. With identity: a moderator lowers someone else's. */
export const ZHandLower = z.object({ identity: z.string().min(1).max(128).optional() }).strict();
export type THandLower = z.infer<typeof ZHandLower>;
