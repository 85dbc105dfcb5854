const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);

export const say = (message) => console.log(`${paint('36', '[convene]')} ${message}`);
export const warn = (message) => console.warn(`${paint('33', '[convene]')} ${message}`);

/** Prints a human message (no stack trace) and exits. */
export function fail(message) {
  console.error(`${paint('31', '[convene] error:')} ${message}`);
  process.exit(1);
}
