import { randomInt } from 'node:crypto';

const LETTERS = 'abcdefghijkmnopqrstuvwxyz';

function randomWord(length: number): string {
  let word = '';
  for (let i = 0; i < length; i++) word += LETTERS[randomInt(LETTERS.length)];
  return word;
}

/** A short, speakable, hard-to-guess slug such as `kqv-tnwa-rme` (~60 bits). */
export function generateRoomSlug(): string {
  return `${randomWord(3)}-${randomWord(4)}-${randomWord(3)}`;
}
