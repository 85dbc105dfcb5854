import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { TRole } from '../tokens/policy';
import type { THandQueue, TParticipant } from './schemas';
import type { PresenceStore, TConnectOutcome, TLeft, TMemberInfo } from './store';

/** Room keys outlive an idle room by this much, then Redis drops them. */
const ROOM_TTL_SECONDS = 24 * 3600;
/** A store whose liveness key is this old is gone (crashed, killed): its sockets are ghosts. */
const DEFAULT_LIVENESS_TTL_MS = 15_000;

const CONNECT = `
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if not existing then redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
local wasGrace = redis.call('HDEL', KEYS[3], ARGV[1])
local before = redis.call('SCARD', KEYS[2])
redis.call('SADD', KEYS[2], ARGV[2])
for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ARGV[4]) end
local outcome = 'another-tab'
if not existing then outcome = 'joined' elseif wasGrace == 1 or before == 0 then outcome = 'resumed' end
return { outcome, existing or ARGV[3] }
`;

const DISCONNECT = `
redis.call('SREM', KEYS[2], ARGV[2])
if redis.call('SCARD', KEYS[2]) > 0 then return 0 end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('ZADD', KEYS[5], 'LT', ARGV[3], ARGV[4])
return 1
`;

/** Replaces a member's record only if it is still the one read (a concurrent change retries). */
const REPLACE_MEMBER = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;

/** -1: not finalised (someone else did, or they came back); 0/1: left, 1 when their hand was up. */
const FINALIZE = `
if ARGV[2] ~= '' and redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return -1 end
if redis.call('SCARD', KEYS[2]) > 0 then return -1 end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
return redis.call('ZREM', KEYS[5], ARGV[1])
`;

/** Re-indexes a room's earliest grace end, or drops it from the index when none is left. */
const REINDEX = `
local values = redis.call('HVALS', KEYS[1])
if #values == 0 then redis.call('ZREM', KEYS[2], ARGV[1]) return 0 end
local min = nil
for _, v in ipairs(values) do local n = tonumber(v) if min == nil or n < min then min = n end end
redis.call('ZADD', KEYS[2], min, ARGV[1])
return #values
`;

/**
 * Presence in Redis, shared by every realtime instance. Per room: members (hash), sockets per
 * member (set), grace ends (hash), typing ends (hash), hands (sorted set by raise time), all with
 * a TTL; plus one index of rooms with pending grace periods, which every instance sweeps.
 *
 * Each socket is stored as `<store incarnation>|<socket id>`, and each incarnation keeps a
 * liveness key alive while its process runs. An instance that dies without disconnecting its
 * sockets (kill -9, OOM, a lost node) would otherwise leave them in the sets for good, and the
 * participant could never become `reconnecting` or `left`; before deciding whether a socket was
 * someone's last, the store drops the sockets of incarnations whose liveness key has expired.
 */
export class RedisPresenceStore implements PresenceStore {
  /** Unique per process start: a restarted instance with the same INSTANCE_ID is a new one. */
  private readonly incarnation = randomBytes(9).toString('base64url');
  private readonly livenessTtlMs: number;
  private readonly livenessTimer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: { livenessTtlMs?: number } = {},
  ) {
    this.livenessTtlMs = options.livenessTtlMs ?? DEFAULT_LIVENESS_TTL_MS;
    // Queued on the connection before any connect() of this store, so it is set first.
    this.renewLiveness();
    this.livenessTimer = setInterval(() => this.renewLiveness(), this.livenessTtlMs / 3);
    this.livenessTimer.unref();
  }

  private livenessKey(incarnation: string) {
    return `${this.prefix}:presence-alive:${incarnation}`;
  }

  private renewLiveness() {
    // A missed renewal (Redis briefly down) is retried on the next tick, well inside the TTL.
    this.redis.set(this.livenessKey(this.incarnation), '1', 'PX', this.livenessTtlMs).catch(() => undefined);
  }

  private socketMember(socketId: string) {
    return `${this.incarnation}|${socketId}`;
  }

  /** Removes from a member's socket set the sockets of incarnations that are no longer alive. */
  private async dropDeadSockets(socketsKey: string): Promise<void> {
    const members = await this.redis.smembers(socketsKey);
    const owners = [
      ...new Set(members.filter((m) => m.includes('|')).map((m) => m.slice(0, m.indexOf('|')))),
    ].filter((owner) => owner !== this.incarnation);
    if (owners.length === 0) return;
    const alive = await this.redis.mget(owners.map((owner) => this.livenessKey(owner)));
    const dead = new Set(owners.filter((_, i) => alive[i] === null));
    const ghosts = members.filter((m) => dead.has(m.slice(0, m.indexOf('|'))));
    // Idempotent, and a dead incarnation adds nothing any more: safe against concurrent callers.
    if (ghosts.length > 0) await this.redis.srem(socketsKey, ...ghosts);
  }

  private keys(room: string) {
    const base = `${this.prefix}:presence:${room}`;
    return {
      members: `${base}:members`,
      sockets: (identity: string) => `${base}:sockets:${identity}`,
      grace: `${base}:grace`,
      typing: `${base}:typing`,
      hands: `${base}:hands`,
    };
  }

  private get graceIndex() {
    return `${this.prefix}:presence-grace`;
  }

  async connect(room: string, member: TMemberInfo, socketId: string) {
    const k = this.keys(room);
    const [outcome, json] = (await this.redis.eval(
      CONNECT,
      4,
      k.members,
      k.sockets(member.identity),
      k.grace,
      k.hands,
      member.identity,
      this.socketMember(socketId),
      JSON.stringify(member),
      ROOM_TTL_SECONDS,
    )) as [TConnectOutcome, string];
    await this.redis.expire(k.typing, ROOM_TTL_SECONDS);
    return { outcome, member: JSON.parse(json) as TMemberInfo };
  }

  async disconnect(room: string, identity: string, socketId: string, graceUntil: number) {
    const k = this.keys(room);
    await this.dropDeadSockets(k.sockets(identity));
    const result = await this.redis.eval(
      DISCONNECT,
      5,
      k.members,
      k.sockets(identity),
      k.grace,
      k.typing,
      this.graceIndex,
      identity,
      this.socketMember(socketId),
      graceUntil,
      room,
    );
    return result === 1;
  }

  async setTyping(room: string, identity: string, typingUntil: number | null) {
    const k = this.keys(room);
    if (typingUntil === null) await this.redis.hdel(k.typing, identity);
    else await this.redis.hset(k.typing, identity, typingUntil);
  }

  async setRole(room: string, identity: string, role: TRole) {
    const k = this.keys(room);
    for (;;) {
      const json = await this.redis.hget(k.members, identity);
      if (json === null) return false;
      const next = JSON.stringify({ ...(JSON.parse(json) as TMemberInfo), role });
      if (json === next) return true;
      if ((await this.redis.eval(REPLACE_MEMBER, 1, k.members, identity, json, next)) === 1) return true;
    }
  }

  async list(room: string, now: number): Promise<TParticipant[]> {
    const k = this.keys(room);
    const [members, grace, typing] = await Promise.all([
      this.redis.hgetall(k.members),
      this.redis.hgetall(k.grace),
      this.redis.hgetall(k.typing),
    ]);
    return Object.values(members)
      .map((json) => JSON.parse(json) as TMemberInfo)
      .filter((m) => Number(grace[m.identity] ?? Number.POSITIVE_INFINITY) > now)
      .sort((a, b) => a.joinedAt - b.joinedAt)
      .map((m) => {
        const graceUntil = grace[m.identity] === undefined ? null : Number(grace[m.identity]);
        const typingUntil = typing[m.identity] === undefined ? null : Number(typing[m.identity]);
        return {
          ...m,
          status: graceUntil === null ? 'online' : 'reconnecting',
          graceUntil,
          typingUntil: typingUntil !== null && typingUntil > now ? typingUntil : null,
        };
      });
  }

  async raiseHand(room: string, identity: string, at: number) {
    const k = this.keys(room);
    await this.redis.zadd(k.hands, 'NX', at, identity);
    await this.redis.expire(k.hands, ROOM_TTL_SECONDS);
    return this.listHands(room);
  }

  async lowerHand(room: string, identity: string) {
    const changed = (await this.redis.zrem(this.keys(room).hands, identity)) === 1;
    return { hands: await this.listHands(room), changed };
  }

  async listHands(room: string): Promise<THandQueue> {
    const flat = await this.redis.zrange(this.keys(room).hands, 0, -1, 'WITHSCORES');
    const hands: THandQueue = [];
    for (let i = 0; i < flat.length; i += 2)
      hands.push({ identity: flat[i]!, raisedAt: Number(flat[i + 1]) });
    return hands;
  }

  async sweep(now: number): Promise<TLeft[]> {
    const rooms = await this.redis.zrangebyscore(this.graceIndex, '-inf', now);
    const left: TLeft[] = [];
    for (const room of rooms) {
      const k = this.keys(room);
      const grace = await this.redis.hgetall(k.grace);
      for (const [identity, until] of Object.entries(grace)) {
        if (Number(until) > now) continue;
        const done = await this.finalize(room, identity, until);
        if (done) left.push(done);
      }
      await this.redis.eval(REINDEX, 2, k.grace, this.graceIndex, room);
    }
    return left;
  }

  private async finalize(room: string, identity: string, expectedGrace: string): Promise<TLeft | null> {
    const k = this.keys(room);
    await this.dropDeadSockets(k.sockets(identity));
    const result = await this.redis.eval(
      FINALIZE,
      5,
      k.members,
      k.sockets(identity),
      k.grace,
      k.typing,
      k.hands,
      identity,
      expectedGrace,
    );
    if (result === -1) return null;
    return { room, identity, hands: result === 1 ? await this.listHands(room) : null };
  }

  async forceLeave(room: string, identity: string) {
    return this.finalize(room, identity, '');
  }

  async close() {
    clearInterval(this.livenessTimer);
    // Whatever this process still had registered is a ghost from now on, for everyone.
    await this.redis.del(this.livenessKey(this.incarnation)).catch(() => undefined);
  }
}
