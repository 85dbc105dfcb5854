import { ZRoomSlug } from '@convene/api/rooms/schemas';

export type TRoomNameParse = { ok: true; slug: string } | { ok: false; error: string };

/** Path prefix of a meeting page; a pasted link is recognised by it. */
const ROOM_PATH_PREFIX = '/r/';

/** The URL path of a room's meeting page. */
export function roomPath(slug: string): string {
  return `${ROOM_PATH_PREFIX}${encodeURIComponent(slug)}`;
}

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The path part of a pasted link: `https://host/r/x?y`, `host:3000/r/x`, `/r/x` and `r/x` all give `/r/x`. */
function pathOfLink(input: string): string {
  let path = input;
  if (HAS_SCHEME.test(input)) {
    try {
      path = new URL(input).pathname;
    } catch {
      return '';
    }
  }
  path = path.split(/[?#]/)[0] ?? '';
  return path.startsWith('/') ? path : `/${path}`;
}

function slugFromLink(input: string): string | null {
  const path = pathOfLink(input);
  const at = path.indexOf(ROOM_PATH_PREFIX);
  if (at < 0) return null;
  const segment = path.slice(at + ROOM_PATH_PREFIX.length).split('/')[0] ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function describeSlugProblem(code: string | undefined): string {
  if (code === 'too_small') return 'Room names need at least 3 characters.';
  if (code === 'too_big') return 'Room names can have at most 64 characters.';
  return 'Room names use only letters, digits and single hyphens (like team-sync).';
}

/**
 * Reads what a user typed into "join a meeting": a room name such as `Team-Sync` or a pasted
 * link such as `https://meet.example.com/r/team-sync?x=1`. Validation is the server's own slug
 * schema, so the browser and the API agree on what a room name is.
 */
export function parseRoomInput(raw: string): TRoomNameParse {
  const input = raw.trim();
  if (input === '') return { ok: false, error: 'Enter a room name or paste a meeting link.' };
  const isLink = input.includes('/') || HAS_SCHEME.test(input);
  const candidate = isLink ? slugFromLink(input) : input;
  if (candidate === null || candidate === '') {
    return { ok: false, error: 'That link is not a meeting link: it should contain /r/<room-name>.' };
  }
  const parsed = ZRoomSlug.safeParse(candidate);
  if (!parsed.success) return { ok: false, error: describeSlugProblem(parsed.error.issues[0]?.code) };
  return { ok: true, slug: parsed.data };
}
