/**
 * Framework-free realtime client core (browser and Node). Wraps socket.io-client with the shared
 * contract and keeps one immutable snapshot — connection status, chat (stored + pending +
 * failed), presence (roles included, live), hand queue, recording state, the room's lock and
 * lobby settings, who waits in the lobby (hosts) — that a UI reads through
 * `subscribe`/`getSnapshot` (React: useSyncExternalStore). Components read roles and room
 * settings from here only, so they all follow a live change, whenever they were mounted.
 *
 * Durability: messages sent while offline stay `pending` and go out, with the same clientId,
 * when connected (the server dedupes, so retries are safe). On every (re)connect the client
 * fetches `chat:history { afterSeq }` from the last contiguous seq and merges by seq: no gap,
 * no duplicate, ordered.
 */
import type {
  ClientEventResults,
  ClientToServerEvents,
  ServerToClientEvents,
  TAckResult,
  TChatMessage,
  TClientEventName,
  THandQueue,
  TLobbyEntry,
  TParticipant,
  TPresenceSync,
  TPresenceUpdate,
  TReaction,
  TRealtimeError,
  TRecordingState,
  TRoomState,
} from '@convene/api/realtime/contract';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import {
  addLocal,
  EMPTY_LOG,
  lowestSeq,
  markContiguous,
  mergeStored,
  type TChatLog,
  type TClientMessage,
  toMessageList,
  updateLocal,
} from './messages';

export type { TClientMessage };

export type TConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface TRealtimeSnapshot {
  status: TConnectionStatus;
  /** The last handshake or transport error, cleared on connect. */
  error: TRealtimeError | null;
  self: TPresenceSync['self'] | null;
  messages: TClientMessage[];
  /** Older history exists before the first loaded message. */
  hasOlder: boolean;
  participants: TParticipant[];
  hands: THandQueue;
  recording: TRecordingState;
  /** Recent reactions (last 20), for transient display. */
  reactions: TReaction[];
  /** The room's lock and lobby settings (`room:state`); null until the server sent them. */
  roomState: TRoomState | null;
  /** Who waits in the lobby (`lobby:update`, sent to hosts only); empty for everyone else. */
  waiting: TLobbyEntry[];
}

export interface TRealtimeClientOptions {
  /** The realtime server URL, or a function consulted before every (re)connect attempt. */
  url: string | (() => string);
  /** Fetches a fresh join token (LiveKit access token); called before every connection attempt. */
  getToken: () => Promise<string>;
  transports?: ('websocket' | 'polling')[];
  /** Exponential backoff with jitter between reconnection attempts. */
  backoff?: { initialMs?: number; maxMs?: number; jitter?: number };
  ackTimeoutMs?: number;
  historyPageSize?: number;
  /** Extra socket.io-client options (e.g. extraHeaders in Node). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

type TSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The snapshot before anything is known (also what a UI shows without a client). */
export const EMPTY_SNAPSHOT: TRealtimeSnapshot = {
  status: 'idle',
  error: null,
  self: null,
  messages: [],
  hasOlder: false,
  participants: [],
  hands: [],
  recording: { state: 'idle' },
  reactions: [],
  roomState: null,
  waiting: [],
};

/** Errors worth retrying a send for; anything else marks the message failed. */
const RETRYABLE: ReadonlySet<string> = new Set(['RATE_LIMITED', 'UNAVAILABLE', 'INTERNAL', 'TIMEOUT']);

function newClientId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID ? c.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

const timeoutError: TRealtimeError = { code: 'UNAVAILABLE', message: 'The server did not answer in time.' };

export function createRealtimeClient(options: TRealtimeClientOptions) {
  const resolveUrl = typeof options.url === 'function' ? options.url : () => options.url as string;
  const ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
  const pageSize = options.historyPageSize ?? 50;
  const listeners = new Set<() => void>();
  let snapshot: TRealtimeSnapshot = EMPTY_SNAPSHOT;
  let log: TChatLog = EMPTY_LOG;
  let hasOlder = false;
  let flushing = false;
  let closed = false;
  let authRetries = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;

  const socket: TSocket = io(resolveUrl(), {
    autoConnect: false,
    transports: options.transports ?? ['websocket', 'polling'],
    reconnectionDelay: options.backoff?.initialMs ?? 500,
    reconnectionDelayMax: options.backoff?.maxMs ?? 10_000,
    randomizationFactor: options.backoff?.jitter ?? 0.5,
    // A fresh token for every attempt: a reconnect after expiry must not reuse the old one.
    auth: (cb) => {
      options.getToken().then(
        (token) => cb({ token }),
        () => cb({ token: '' }),
      );
    },
    ...options.socketOptions,
  });

  function set(patch: Partial<TRealtimeSnapshot>) {
    snapshot = { ...snapshot, ...patch };
    for (const l of listeners) l();
  }

  function setLog(next: TChatLog) {
    log = next;
    set({ messages: toMessageList(log), hasOlder });
  }

  function request<E extends TClientEventName>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
  ): Promise<TAckResult<ClientEventResults[E]>> {
    if (!socket.connected)
      return Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'Not connected.' } });
    return new Promise((resolve) => {
      const timed = socket.timeout(ackTimeoutMs) as unknown as {
        emit(
          e: string,
          p: unknown,
          cb: (err: Error | null, r: TAckResult<ClientEventResults[E]>) => void,
        ): void;
      };
      timed.emit(event, payload, (err, result) => resolve(err ? { ok: false, error: timeoutError } : result));
    });
  }

  function selfIdentity() {
    return snapshot.self?.identity ?? null;
  }

  function scheduleTypingExpiry() {
    clearTimeout(typingTimer);
    const now = Date.now();
    const next = Math.min(
      ...snapshot.participants.map((p) =>
        p.typingUntil !== null && p.typingUntil > now ? p.typingUntil : Infinity,
      ),
    );
    const expired = snapshot.participants.some((p) => p.typingUntil !== null && p.typingUntil <= now);
    if (expired) {
      set({
        participants: snapshot.participants.map((p) =>
          p.typingUntil !== null && p.typingUntil <= now ? { ...p, typingUntil: null } : p,
        ),
      });
    }
    if (Number.isFinite(next)) typingTimer = setTimeout(scheduleTypingExpiry, next - now + 10);
  }

  function applyPresence(update: TPresenceUpdate) {
    const others = (identity: string) => snapshot.participants.filter((p) => p.identity !== identity);
    switch (update.kind) {
      case 'joined':
        set({ participants: [...others(update.participant.identity), update.participant] });
        break;
      case 'reconnecting':
        set({
          participants: snapshot.participants.map((p) =>
            p.identity === update.identity
              ? { ...p, status: 'reconnecting', graceUntil: update.graceUntil, typingUntil: null }
              : p,
          ),
        });
        break;
      case 'left':
        set({
          participants: others(update.identity),
          hands: snapshot.hands.filter((h) => h.identity !== update.identity),
        });
        break;
      case 'typing':
        set({
          participants: snapshot.participants.map((p) =>
            p.identity === update.identity ? { ...p, typingUntil: update.typingUntil } : p,
          ),
        });
        scheduleTypingExpiry();
        break;
      case 'hands':
        set({ hands: update.hands });
        break;
      case 'role': {
        const isSelf = snapshot.self?.identity === update.identity;
        set({
          participants: snapshot.participants.map((p) =>
            p.identity === update.identity ? { ...p, role: update.role } : p,
          ),
          ...(isSelf && snapshot.self ? { self: { ...snapshot.self, role: update.role } } : {}),
          // The server stops sending the lobby to someone no longer a host: forget the stale list.
          ...(isSelf && update.role !== 'host' ? { waiting: [] } : {}),
        });
        break;
      }
    }
  }

  /** Fetches everything after the last contiguous seq (or the latest page on first connect). */
  async function resume(): Promise<boolean> {
    if (log.contiguousSeq === null) {
      const page = await request('chat:history', { limit: pageSize });
      if (!page.ok) return false;
      hasOlder = page.data.hasMore;
      const last = page.data.messages.at(-1)?.seq ?? 0;
      setLog(markContiguous(mergeStored(log, page.data.messages, selfIdentity()), last));
      if (page.data.messages.length > 0 || log.contiguousSeq !== null) return true;
    }
    for (;;) {
      const afterSeq = log.contiguousSeq ?? 0;
      const page = await request('chat:history', { afterSeq, limit: 200 });
      if (!page.ok) return false;
      // A forward page starts right after afterSeq: everything up to its end is contiguous.
      const last = page.data.messages.at(-1)?.seq ?? afterSeq;
      setLog(markContiguous(mergeStored(log, page.data.messages, selfIdentity()), last));
      if (!page.data.hasMore) return true;
    }
  }

  /** Sends pending messages one by one (keeps their order), same clientId on every try. */
  async function flushPending() {
    if (flushing) return;
    flushing = true;
    try {
      for (;;) {
        const next = log.local.find((l) => l.state === 'pending');
        if (!next || !socket.connected) return;
        const result = await request('chat:send', { clientId: next.clientId, text: next.text });
        if (result.ok) {
          setLog(mergeStored(log, [result.data], selfIdentity()));
        } else if (RETRYABLE.has(result.error.code)) {
          clearTimeout(retryTimer);
          retryTimer = setTimeout(() => void flushPending(), 1000);
          return;
        } else {
          const error = result.error;
          setLog(updateLocal(log, next.clientId, (m) => ({ ...m, state: 'failed', error })));
        }
      }
    } finally {
      flushing = false;
    }
  }

  socket.on('connect', () => {
    authRetries = 0;
    set({ status: 'connected', error: null });
    void resume().then((ok) => (ok ? flushPending() : undefined));
  });
  socket.on('disconnect', (reason) => {
    // Server-side disconnects (kicked, flood) do not reconnect by themselves.
    set({
      status:
        reason === 'io server disconnect' || reason === 'io client disconnect'
          ? 'disconnected'
          : 'reconnecting',
      participants: [],
    });
  });
  socket.on('connect_error', (error) => {
    const data = (error as { data?: TRealtimeError }).data;
    set({ error: data ?? { code: 'UNAVAILABLE', message: error.message } });
    if (socket.active) {
      set({ status: 'reconnecting' });
      return;
    }
    // Refused by the handshake: retry only what a fresh token can fix, with backoff.
    if (data?.code === 'UNAUTHENTICATED' && authRetries < 3 && !closed) {
      authRetries += 1;
      set({ status: 'reconnecting' });
      // Jittered like the manager's own reconnects, so a room refused at once does not retry in step.
      const jitter = options.backoff?.jitter ?? 0.5;
      const delay = 500 * 2 ** authRetries * (1 - jitter + 2 * jitter * Math.random());
      setTimeout(() => !closed && socket.connect(), delay);
    } else {
      set({ status: 'disconnected' });
    }
  });
  socket.io.on('reconnect_attempt', () => {
    const url = resolveUrl();
    // Manager keeps its URL privately; pointing it elsewhere lets a client fail over between instances.
    (socket.io as unknown as { uri: string }).uri = url;
  });
  let repairing = false;
  socket.on('chat:message', (message: TChatMessage) => {
    setLog(mergeStored(log, [message], selfIdentity()));
    // A broadcast lost between instances (e.g. while Redis restarted) leaves a hole below this
    // seq: fetch it by seq now instead of waiting for the next reconnect.
    if (!repairing && log.contiguousSeq !== null && message.seq > log.contiguousSeq + 1) {
      repairing = true;
      void resume().finally(() => {
        repairing = false;
      });
    }
  });
  socket.on('presence:sync', (sync) => {
    set({ self: sync.self, participants: sync.participants, hands: sync.hands });
    // Messages stored before we knew our identity may include our pending ones.
    setLog(mergeStored(log, [...log.stored.values()], sync.self.identity));
    scheduleTypingExpiry();
  });
  socket.on('presence:update', applyPresence);
  socket.on('recording:state', (recording) => set({ recording }));
  socket.on('room:state', (roomState) => set({ roomState }));
  socket.on('lobby:update', ({ waiting }) => set({ waiting }));
  socket.on('reaction', (reaction) => set({ reactions: [...snapshot.reactions.slice(-19), reaction] }));

  return {
    /** For useSyncExternalStore. */
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot(): TRealtimeSnapshot {
      return snapshot;
    },
    connect() {
      closed = false;
      set({ status: 'connecting' });
      socket.connect();
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      clearTimeout(typingTimer);
      socket.close();
      set({ status: 'disconnected' });
    },
    /** Queues a message (shown as pending at once) and sends it when connected. Returns its clientId. */
    sendMessage(text: string): string {
      const clientId = newClientId();
      setLog(addLocal(log, { state: 'pending', clientId, text, queuedAt: Date.now() }));
      void flushPending();
      return clientId;
    },
    /** Puts a failed message back in the queue. */
    retryMessage(clientId: string) {
      setLog(
        updateLocal(log, clientId, (m) => ({
          state: 'pending',
          clientId: m.clientId,
          text: m.text,
          queuedAt: m.queuedAt,
        })),
      );
      void flushPending();
    },
    /** Loads one page of older history. */
    async loadOlder(): Promise<boolean> {
      const beforeSeq = lowestSeq(log);
      if (beforeSeq === null) return false;
      const page = await request('chat:history', { beforeSeq, limit: pageSize });
      if (!page.ok) return false;
      hasOlder = page.data.hasMore;
      setLog(mergeStored(log, page.data.messages, selfIdentity()));
      return true;
    },
    startTyping: () => request('typing:start', {}),
    stopTyping: () => request('typing:stop', {}),
    raiseHand: () => request('hand:raise', {}),
    lowerHand: (identity?: string) => request('hand:lower', identity ? { identity } : {}),
    sendReaction: (emoji: Parameters<ClientToServerEvents['reaction:send']>[0]['emoji']) =>
      request('reaction:send', { emoji }),
    /** Reports this browser's own LiveKit connection quality (call on every change). */
    reportQuality: (quality: Parameters<ClientToServerEvents['quality:report']>[0]['quality']) =>
      request('quality:report', { quality }),
    startRecording: () => request('recording:start', {}),
    stopRecording: () => request('recording:stop', {}),
    /** The underlying socket (tests and diagnostics). */
    socket,
  };
}

export type TRealtimeClient = ReturnType<typeof createRealtimeClient>;
