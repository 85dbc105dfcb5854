/**
 * Runs once when the Next.js server boots; the work is Node-only, so it is loaded lazily.
 * `process.env.NEXT_RUNTIME` is a build-time constant Next.js inlines per runtime (not
 * configuration): written literally, it lets the edge bundle drop the Node-only import.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { bootWebServer } = await import('./server/boot');
  await bootWebServer();
}
