// Test-side configuration, provided by scripts/test.mjs (the platform it started for this run).
function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the suite with \`npm test\` (scripts/test.mjs starts the platform).`,
    );
  return value;
}

export const testEnv = {
  webUrl: required('CONVENE_WEB_URL'),
  realtimeUrl: required('CONVENE_REALTIME_URL'),
  livekitUrl: required('LIVEKIT_URL'),
  livekitApiKey: required('LIVEKIT_API_KEY'),
  livekitApiSecret: required('LIVEKIT_API_SECRET'),
  databaseUrl: required('DATABASE_URL'),
  redisUrl: process.env.REDIS_URL,
  chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  artifactsDir: process.env.ARTIFACTS_DIR ?? '.artifacts',
};
