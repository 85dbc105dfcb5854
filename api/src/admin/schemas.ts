import { z } from 'zod';

export const ZAdminEmail = z.string().trim().toLowerCase().pipe(z.string().email().max(254));

export const ZAdminPassword = z.string().min(12, 'at least 12 characters').max(256);

export const ZAdminLogin = z.object({ email: ZAdminEmail, password: z.string().min(1).max(256) }).strict();
export type TAdminLogin = z.infer<typeof ZAdminLogin>;

export const ZCreateAdmin = z.object({ email: ZAdminEmail, password: ZAdminPassword }).strict();
export type TCreateAdmin = z.infer<typeof ZCreateAdmin>;

/** Who performed an audited action. */
export interface TActor {
  type: 'admin' | 'host' | 'api_key';
  id: string;
  label: string;
}
