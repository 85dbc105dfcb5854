import type { TRole } from '../tokens/policy';
import type { THandQueue, TParticipant } from './schemas';
import type { PresenceStore, TConnectOutcome, TLeft, TMemberInfo } from './store';

interface TRoomState {
  members: Map<string, TMemberInfo>;
  sockets: Map<string, Set<string>>;
  grace: Map<string, number>;
  typing: Map<string, number>;
  hands: Map<string, number>;
}

/** Single-process presence (no REDIS_URL). Same semantics as the Redis store. */
export class MemoryPresenceStore implements PresenceStore {
  private readonly rooms = new Map<string, TRoomState>();

  private room(room: string): TRoomState {
    let state = this.rooms.get(room);
    if (!state) {
      state = {
        members: new Map(),
        sockets: new Map(),
        grace: new Map(),
        typing: new Map(),
        hands: new Map(),
      };
      this.rooms.set(room, state);
    }
    return state;
  }

  async connect(room: string, member: TMemberInfo, socketId: string) {
    const r = this.room(room);
    const existing = r.members.get(member.identity);
    const wasGrace = r.grace.delete(member.identity);
    const sockets = r.sockets.get(member.identity) ?? new Set<string>();
    const hadSockets = sockets.size > 0;
    sockets.add(socketId);
    r.sockets.set(member.identity, sockets);
    if (!existing) r.members.set(member.identity, member);
    const outcome: TConnectOutcome = !existing
      ? 'joined'
      : wasGrace || !hadSockets
        ? 'resumed'
        : 'another-tab';
    return { outcome, member: existing ?? member };
  }

  async disconnect(room: string, identity: string, socketId: string, graceUntil: number) {
    const r = this.room(room);
    const sockets = r.sockets.get(identity);
    sockets?.delete(socketId);
    if ((sockets?.size ?? 0) > 0 || !r.members.has(identity)) return false;
    r.sockets.delete(identity);
    r.grace.set(identity, graceUntil);
    r.typing.delete(identity);
    return true;
  }

  async setTyping(room: string, identity: string, typingUntil: number | null) {
    const r = this.room(room);
    if (typingUntil === null) r.typing.delete(identity);
    else r.typing.set(identity, typingUntil);
  }

  async setRole(room: string, identity: string, role: TRole) {
    const r = this.room(room);
    const member = r.members.get(identity);
    if (!member) return false;
    r.members.set(identity, { ...member, role });
    return true;
  }

  async list(room: string, now: number): Promise<TParticipant[]> {
    const r = this.room(room);
    return [...r.members.values()]
      .filter((m) => (r.grace.get(m.identity) ?? Number.POSITIVE_INFINITY) > now)
      .map((m) => {
        const graceUntil = r.grace.get(m.identity) ?? null;
        const typingUntil = r.typing.get(m.identity) ?? null;
        return {
          ...m,
          status: graceUntil === null ? 'online' : 'reconnecting',
          graceUntil,
          typingUntil: typingUntil !== null && typingUntil > now ? typingUntil : null,
        };
      });
  }

  async raiseHand(room: string, identity: string, at: number) {
    const r = this.room(room);
    if (!r.hands.has(identity)) r.hands.set(identity, at);
    return this.listHands(room);
  }

  async lowerHand(room: string, identity: string) {
    const changed = this.room(room).hands.delete(identity);
    return { hands: await this.listHands(room), changed };
  }

  async listHands(room: string): Promise<THandQueue> {
    return [...this.room(room).hands.entries()]
      .map(([identity, raisedAt]) => ({ identity, raisedAt }))
      .sort((a, b) => a.raisedAt - b.raisedAt || a.identity.localeCompare(b.identity));
  }

  async sweep(now: number): Promise<TLeft[]> {
    const left: TLeft[] = [];
    for (const [room, r] of this.rooms) {
      for (const [identity, until] of r.grace) {
        if (until > now) continue;
        left.push(await this.finalize(room, identity));
      }
      if (r.members.size === 0 && r.hands.size === 0) this.rooms.delete(room);
    }
    return left;
  }

  private async finalize(room: string, identity: string): Promise<TLeft> {
    const r = this.room(room);
    r.grace.delete(identity);
    r.members.delete(identity);
    r.typing.delete(identity);
    const hadHand = r.hands.delete(identity);
    return { room, identity, hands: hadHand ? await this.listHands(room) : null };
  }

  async forceLeave(room: string, identity: string) {
    const r = this.room(room);
    if (!r.members.has(identity) || (r.sockets.get(identity)?.size ?? 0) > 0) return null;
    return this.finalize(room, identity);
  }

  async close() {}
}
