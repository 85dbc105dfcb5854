import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { say } from './log.mjs';
import { DATA_DIR, ROOT } from './paths.mjs';
import { waitForHttp } from './processes.mjs';

/** Dev API keys, generated once per checkout and kept in the ignored .data folder (mode 600). */
export function loadOrCreateDevKeys() {
  const file = join(DATA_DIR, 'livekit-dev-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  mkdirSync(DATA_DIR, { recursive: true });
  const keys = {
    apiKey: `dev${randomBytes(6).toString('hex')}`,
    apiSecret: randomBytes(32).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

/**
 * livekit.yaml with the per-run values filled in. Returned as YAML text for --config-body so the
 * committed file stays the single source of every other setting.
 */
export async function buildLivekitConfig({ apiKey, port, rtcTcpPort, rtcUdpPort, webhookUrl, redisUrl }) {
  const { parse, stringify } = await import('yaml');
  const config = parse(readFileSync(join(ROOT, 'livekit.yaml'), 'utf8'));
  config.port = port;
  config.rtc = { ...config.rtc, tcp_port: rtcTcpPort, udp_port: rtcUdpPort };
  config.webhook = { ...config.webhook, api_key: apiKey, urls: webhookUrl ? [webhookUrl] : [] };
  if (redisUrl) {
    const url = new URL(redisUrl);
    config.redis = {
      address: `${url.hostname}:${url.port || 6379}`,
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
    };
  }
  return stringify(config);
}

/** Starts livekit-server and waits until its HTTP endpoint answers. */
export async function startLivekitServer(
  group,
  { binary, keys, port, rtcTcpPort, rtcUdpPort, webhookUrl, redisUrl, name = 'livekit' },
) {
  const configBody = await buildLivekitConfig({
    apiKey: keys.apiKey,
    port,
    rtcTcpPort,
    rtcUdpPort,
    webhookUrl,
    redisUrl,
  });
  say(`starting livekit-server on ws://127.0.0.1:${port} (media UDP ${rtcUdpPort}, loopback only)`);
  const service = group.start(name, binary, ['--config-body', configBody], {
    env: { ...process.env, LIVEKIT_KEYS: `${keys.apiKey}: ${keys.apiSecret}` },
    // LiveKit logs every ICE detail at info; show only warnings and errors on the console.
    filter: (line) => /"level":"(warn|error|fatal)"|panic/.test(line),
  });
  await waitForHttp(`http://127.0.0.1:${port}/`, { service, timeoutMs: 30_000 });
  return { url: `ws://127.0.0.1:${port}`, service };
}
