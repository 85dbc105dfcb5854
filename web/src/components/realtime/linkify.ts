/** A piece of chat text: plain text, or an http(s) link. Rendered as text nodes and anchors, never HTML. */
export type TTextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that usually ends the sentence, not the URL. */
const TRAILING = /[.,;:!?)\]}]$/;

/** Drops trailing punctuation, keeping a `)` that closes a `(` inside the URL (wiki/Foo_(bar)). */
function trimTrailing(url: string): string {
  let end = url.length;
  while (end > 0 && TRAILING.test(url[end - 1]!)) {
    const head = url.slice(0, end);
    const opens = head.split('(').length - 1;
    const closes = head.split(')').length - 1;
    if (url[end - 1] === ')' && opens >= closes) break;
    end -= 1;
  }
  return url.slice(0, end);
}

/**
 * Splits chat text into text and link parts. Only absolute http: and https: URLs become links
 * (no javascript:, data:, or scheme-less guesses); the href is the URL parser's normalised form.
 */
export function linkify(text: string): TTextPart[] {
  const parts: TTextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const raw = trimTrailing(match[0]);
    const start = match.index;
    const href = safeHref(raw);
    if (!href) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

function safeHref(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
