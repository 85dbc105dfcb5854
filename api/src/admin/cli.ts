import { createDb } from '../db/client';
import { AppError } from '../errors';
import { createAdmin, deleteAdmin, listAdmins, resetAdminPassword } from './accounts';

export interface TAdminCliInput {
  databaseUrl: string;
  command: string;
  email?: string;
  password?: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** `npm run admin -- <command>`; returns the exit code. Domain errors are printed, not thrown. */
export async function runAdminCommand(input: TAdminCliInput): Promise<number> {
  const db = createDb(input.databaseUrl, { poolSize: 1 });
  try {
    switch (input.command) {
      case 'create': {
        const admin = await createAdmin(db, { email: input.email ?? '', password: input.password ?? '' });
        input.out(`created admin ${admin.email}`);
        return 0;
      }
      case 'reset-password': {
        const admin = await resetAdminPassword(db, {
          email: input.email ?? '',
          password: input.password ?? '',
        });
        input.out(`password reset for ${admin.email}; their sessions were signed out`);
        return 0;
      }
      case 'list':
        for (const a of await listAdmins(db)) {
          input.out(
            `${a.email}\tcreated ${a.createdAt.toISOString()}\tlast login ${a.lastLoginAt?.toISOString() ?? 'never'}`,
          );
        }
        return 0;
      case 'delete':
        await deleteAdmin(db, input.email ?? '');
        input.out(`deleted admin ${input.email}`);
        return 0;
      default:
        input.err(`unknown command: ${input.command}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof AppError) {
      input.err(`${error.code}: ${error.message}`);
      return 1;
    }
    const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    if (issues) {
      for (const issue of issues) input.err(`${issue.path.join('.') || 'input'}: ${issue.message}`);
      return 2;
    }
    throw error;
  } finally {
    await db.$disconnect();
  }
}
