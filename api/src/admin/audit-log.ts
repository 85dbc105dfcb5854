import type { Db, Prisma } from '../db/client';
import { appendAdminEvent } from './events';
import type { TActor } from './schemas';

export interface TAuditEntry {
  actor: TActor;
  action: string;
  room?: string | null;
  target?: string | null;
  details?: Record<string, unknown>;
}

export interface TAuditView {
  id: string;
  at: string;
  actor: TActor;
  action: string;
  room: string | null;
  target: string | null;
  details: Record<string, unknown> | null;
}

/** Writes the audit row and its live-feed event in one transaction. */
export async function recordAudit(db: Db, entry: TAuditEntry): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await tx.auditLog.create({
      data: {
        actorType: entry.actor.type,
        actorId: entry.actor.id,
        actorLabel: entry.actor.label,
        action: entry.action,
        roomSlug: entry.room ?? null,
        target: entry.target ?? null,
        details: (entry.details ?? undefined) as Prisma.InputJsonValue | undefined,
      },
    });
    await appendAdminEvent(tx, 'moderation', entry.room ?? null, { audit: toAuditView(row) });
  });
}

function toAuditView(row: {
  id: string;
  createdAt: Date;
  actorType: string;
  actorId: string;
  actorLabel: string;
  action: string;
  roomSlug: string | null;
  target: string | null;
  details: unknown;
}): TAuditView {
  return {
    id: row.id,
    at: row.createdAt.toISOString(),
    actor: { type: row.actorType as TActor['type'], id: row.actorId, label: row.actorLabel },
    action: row.action,
    room: row.roomSlug,
    target: row.target,
    details: (row.details as Record<string, unknown> | null) ?? null,
  };
}

export async function listAuditLog(
  db: Db,
  query: { room?: string; limit?: number } = {},
): Promise<TAuditView[]> {
  const rows = await db.auditLog.findMany({
    where: query.room ? { roomSlug: query.room } : {},
    orderBy: { createdAt: 'desc' },
    take: Math.min(query.limit ?? 50, 200),
  });
  return rows.map(toAuditView);
}
