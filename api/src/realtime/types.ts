import type { Server, Socket } from 'socket.io';
import type { ChatWriter } from '../chat/chat-writer';
import type { Db } from '../db/client';
import type { TEnv } from '../env';
import type { TLobbyRole } from '../lobby/lobby-ticket';
import type { Logger } from '../logger';
import type { TModerationDeps } from '../moderation/moderate-room';
import type { PresenceStore } from '../presence/store';
import type { ConnectionLimiter } from '../rate-limit/token-bucket';
import type { TRecordingDeps } from '../recording/control-recording';
import type { TVerifiedJoin } from '../tokens/issue-join-token';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents } from './contract';

/** What the handshake establishes; nothing here ever comes from a client payload. */
export interface SocketData {
  join: TVerifiedJoin;
  /** Room.id of join.room. */
  roomId: string;
  limiter: ConnectionLimiter;
  /**
   * Set for a browser waiting in the lobby (handshake with a lobby ticket): such a socket is only
   * in the lobby channels and has no event handlers; `join` then carries role `viewer`.
   */
  lobby?: { name: string; since: number; role: TLobbyRole };
}

export type TIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type TSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Everything handlers need; built once per server. */
export interface TRealtimeContext {
  io: TIo;
  env: TEnv;
  db: Db;
  logger: Logger;
  store: PresenceStore;
  writer: ChatWriter;
  recording: TRecordingDeps;
  /** The moderation domain (host controls); its notifier is this server, in-process. */
  moderation: TModerationDeps;
}

/** The Socket.IO room of a meeting room (prefixed so it can never collide with a socket id). */
export function channelOf(room: string): string {
  return `room:${room}`;
}

/** Whether a Socket.IO room name is a meeting room's channel (see channelOf). */
export function isMeetingChannel(name: string): boolean {
  return name.startsWith('room:');
}
