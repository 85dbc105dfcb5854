import type { TChatMessage, TRealtimeError } from '@convene/api/realtime/contract';

/** A message as the UI shows it: stored (has seq), or still ours to deliver. */
export type TClientMessage =
  | ({ state: 'stored' } & TChatMessage)
  | { state: 'pending'; clientId: string; text: string; queuedAt: number }
  | { state: 'failed'; clientId: string; text: string; queuedAt: number; error: TRealtimeError };

export type TLocalMessage = Extract<TClientMessage, { state: 'pending' | 'failed' }>;

/**
 * The chat log: stored messages keyed by seq (so duplicates from broadcasts, history pages and
 * retries collapse), plus our own not-yet-stored messages in send order. Pure and immutable.
 */
export interface TChatLog {
  stored: ReadonlyMap<number, TChatMessage>;
  local: readonly TLocalMessage[];
  /** Highest seq such that every seq from the first loaded one up to it is present. */
  contiguousSeq: number | null;
}

export const EMPTY_LOG: TChatLog = { stored: new Map(), local: [], contiguousSeq: null };

/**
 * Merges stored messages (any order, duplicates allowed). Our pending copies whose clientId is
 * now stored disappear. `startsContiguous` marks a page that begins a contiguous run (the first
 * page loaded, or a page fetched with `afterSeq` = contiguousSeq).
 */
export function mergeStored(
  log: TChatLog,
  messages: readonly TChatMessage[],
  selfIdentity: string | null,
): TChatLog {
  if (messages.length === 0) return log;
  const stored = new Map(log.stored);
  for (const m of messages) stored.set(m.seq, m);
  const storedIds = new Set(messages.filter((m) => m.senderIdentity === selfIdentity).map((m) => m.clientId));
  const local = storedIds.size ? log.local.filter((l) => !storedIds.has(l.clientId)) : log.local;
  let contiguousSeq = log.contiguousSeq;
  if (contiguousSeq === null) contiguousSeq = Math.min(...messages.map((m) => m.seq)) - 1;
  while (stored.has(contiguousSeq + 1)) contiguousSeq += 1;
  return { stored, local, contiguousSeq };
}

/** After loading the latest page of an empty or fresh log: everything up to `seq` is known. */
export function markContiguous(log: TChatLog, seq: number): TChatLog {
  let contiguousSeq = Math.max(log.contiguousSeq ?? seq, seq);
  while (log.stored.has(contiguousSeq + 1)) contiguousSeq += 1;
  return { ...log, contiguousSeq };
}

export function addLocal(log: TChatLog, message: TLocalMessage): TChatLog {
  return { ...log, local: [...log.local.filter((l) => l.clientId !== message.clientId), message] };
}

export function updateLocal(
  log: TChatLog,
  clientId: string,
  update: (m: TLocalMessage) => TLocalMessage,
): TChatLog {
  return { ...log, local: log.local.map((l) => (l.clientId === clientId ? update(l) : l)) };
}

/** Stored messages ascending by seq, then our undelivered ones in send order. */
export function toMessageList(log: TChatLog): TClientMessage[] {
  const stored = [...log.stored.values()]
    .sort((a, b) => a.seq - b.seq)
    .map((m) => ({ state: 'stored' as const, ...m }));
  return [...stored, ...log.local];
}

export function lowestSeq(log: TChatLog): number | null {
  let min: number | null = null;
  for (const seq of log.stored.keys()) if (min === null || seq < min) min = seq;
  return min;
}
