import type { TStoredRecordingState } from './state-machine';

/** The columns a summary needs (a Recording row with its room's slug). */
export interface TSummaryRow {
  id: string;
  state: string;
  failureReason: string | null;
  startedBy: string;
  startedByName: string;
  startedAt: Date;
  endedAt: Date | null;
  sizeBytes: bigint | null;
  room: { slug: string };
}

/** The JSON fields every view of a recording shares (REST API and admin console). */
export function toRecordingSummary(row: TSummaryRow) {
  return {
    id: row.id,
    room: row.room.slug,
    state: row.state as TStoredRecordingState,
    failureReason: row.failureReason,
    startedBy: { identity: row.startedBy, name: row.startedByName },
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    // bigint does not survive JSON; a recording file stays far below 2^53 bytes.
    sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
  };
}
