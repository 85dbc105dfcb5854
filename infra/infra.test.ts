// Validates the deploy artifacts against the code they deploy: the env each service gets must
// pass the app's own env schema, probes must point at the real endpoints, the nginx configs must
// pass `nginx -t` and match their renderer, LiveKit must start with our config, and every metric
// the Grafana dashboard queries must be one the processes actually expose.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Server } from 'socket.io';
import { afterAll, describe, expect, test } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseEnv } from '../api/src/env';
import { createMetricsRegistry, registerChatPersistMetrics } from '../api/src/observability/metrics';
import { instrumentRealtime } from '../api/src/observability/realtime-instrumentation';
import { createWebObservability } from '../api/src/observability/web';
import { COMMITTED_CONFIGS, COMPOSE_TOPOLOGY, renderNginxConfig } from './nginx/render';

const run = promisify(execFile);
const INFRA = join(import.meta.dirname);
const ROOT = join(INFRA, '..');
const read = (path: string) => readFileSync(join(INFRA, path), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'convene-infra-'));

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createTcpServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** `KEY=value` lines of infra/.env.example. */
function exampleEnv(): Record<string, string> {
  const entries = read('.env.example')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const);
  return Object.fromEntries(entries);
}

/** Compose-style interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}. */
function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
    const value = vars[name];
    if (value !== undefined && value !== '') return value;
    if (op === '?') throw new Error(`${name} is required: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

describe('nginx', () => {
  test.each(Object.entries(COMMITTED_CONFIGS))('%s is what the renderer produces', (file, topology) => {
    expect(read(`nginx/${file}`)).toBe(renderNginxConfig(topology));
  });

  test.each(Object.keys(COMMITTED_CONFIGS))('%s passes nginx -t', async (file) => {
    const key = join(tmp, 'key.pem');
    const cert = join(tmp, 'cert.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    // Host names only resolve on their own network: test the same file with loopback upstreams.
    const config = read(`nginx/${file}`)
      .replace(/server [A-Za-z0-9.-]+:(\d+)/g, 'server 127.0.0.1:$1')
      .replace(/ssl_certificate_key \S+;/, `ssl_certificate_key ${key};`)
      .replace(/ssl_certificate \S+;/, `ssl_certificate ${cert};`)
      .replace(/access_log \S+/, `access_log ${join(tmp, 'access.log')}`)
      .replace(/error_log \S+ warn;/, '');
    const path = join(tmp, file);
    writeFileSync(path, config);
    const { stderr } = await run('nginx', ['-t', '-p', tmp, '-c', path, '-g', `error_log ${tmp}/error.log;`]);
    expect(stderr).toContain('test is successful');
  });

  test('routes a Socket.IO session to the instance named in its sid, new sessions to the pool', () => {
    const config = renderNginxConfig({ ...COMPOSE_TOPOLOGY, tls: null });
    expect(config).toContain('"~^realtime-1\\." realtime_realtime_1;');
    expect(config).toMatch(/map \$arg_sid \$realtime_upstream \{[^}]*default realtime;/);
    expect(config).toMatch(/location \/socket\.io\/ \{[^}]*proxy_pass http:\/\/\$realtime_upstream;/);
    expect(config).toMatch(/location \/socket\.io\/ \{[^}]*proxy_set_header Upgrade \$http_upgrade;/);
    expect(config).toMatch(
      /location \/socket\.io\/ \{[^}]*proxy_next_upstream error timeout http_502 http_503;/,
    );
    expect(config).toMatch(/location \/rtc \{[^}]*proxy_set_header Upgrade \$http_upgrade;/);
    expect(config).toMatch(/location \/api\/ \{[^}]*proxy_buffering off;/);
  });
});

const ZComposeService = z.object({
  image: z.string().optional(),
  build: z.object({ context: z.string(), dockerfile: z.string() }).optional(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  depends_on: z
    .union([z.array(z.string()), z.record(z.string(), z.object({ condition: z.string() }))])
    .optional(),
  ports: z.array(z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
});
const ZCompose = z.object({
  services: z.record(z.string(), ZComposeService),
  volumes: z.record(z.string(), z.null()),
});

describe('compose.yaml', () => {
  const compose = ZCompose.parse(parseYaml(interpolate(read('compose.yaml'), exampleEnv()), { merge: true }));
  const services = compose.services;
  const appServices = ['web', 'realtime-1', 'realtime-2'];

  test('every service has an image or a build, and depends only on services that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.image ?? service.build, name).toBeDefined();
      const deps = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect(Object.keys(services), `${name} → ${dep}`).toContain(dep);
    }
    for (const needed of ['postgres', 'redis', 'livekit', 'egress', 'nginx', 'migrate', ...appServices]) {
      expect(Object.keys(services)).toContain(needed);
    }
  });

  test.each(appServices)('%s gets an environment the app accepts', (name) => {
    const env = parseEnv(services[name]?.environment ?? {});
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(env.LIVEKIT_PUBLIC_URL.startsWith('wss://')).toBe(true);
  });

  test('realtime instance ids match the nginx routing table and probes hit readiness', () => {
    const ids = appServices.slice(1).map((n) => services[n]?.environment?.INSTANCE_ID);
    expect(ids).toEqual(COMPOSE_TOPOLOGY.realtime.map((r) => r.id));
    expect(services.web?.healthcheck?.test.join(' ')).toContain('/api/ready');
    expect(services['realtime-1']?.healthcheck?.test.join(' ')).toContain('/readyz');
    expect(services.nginx?.volumes).toContain('./nginx/compose.conf:/etc/nginx/nginx.conf:ro');
  });

  test('LiveKit publishes the media ports its config uses, and webhooks are signed with the API key', () => {
    const livekit = parseYaml(read('livekit/livekit.yaml'));
    expect(services.livekit?.ports).toContain(`${livekit.rtc.udp_port}:${livekit.rtc.udp_port}/udp`);
    expect(services.livekit?.ports).toContain(`${livekit.rtc.tcp_port}:${livekit.rtc.tcp_port}/tcp`);
    expect(livekit.webhook.api_key).toBe(exampleEnv().LIVEKIT_API_KEY);
    expect(livekit.webhook.urls).toContain('http://web:3000/api/livekit/webhook');
  });

  test('web reads the recordings that realtime and egress write: one directory on a shared volume', () => {
    const env = parseEnv(services.web?.environment ?? {});
    const realtimeEnv = parseEnv(services['realtime-1']?.environment ?? {});
    expect(realtimeEnv.RECORDINGS_DIR).toBe(env.RECORDINGS_DIR);
    expect(env.EGRESS_FILE_DIR).toBe(env.RECORDINGS_DIR);
    for (const name of ['web', 'realtime-1', 'realtime-2', 'egress']) {
      const mount = services[name]?.volumes?.find((v: string) => v.startsWith('recordings:'));
      expect(mount, name).toBeDefined();
      expect(env.RECORDINGS_DIR.startsWith(`${mount!.split(':')[1]}/`), name).toBe(true);
    }
  });

  test('a missing required variable stops compose with a message', () => {
    const { DOMAIN: _, ...rest } = exampleEnv();
    expect(() => interpolate(read('compose.yaml'), rest)).toThrow(/DOMAIN is required/);
  });
});

const ZProbe = z.object({ httpGet: z.object({ path: z.string(), port: z.string() }) });
const ZDeployment = z.object({
  kind: z.literal('Deployment'),
  metadata: z.object({ name: z.string() }),
  spec: z.object({
    selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
    template: z.object({
      metadata: z.object({ labels: z.record(z.string(), z.string()) }),
      spec: z.object({
        terminationGracePeriodSeconds: z.number(),
        containers: z.array(
          z.object({
            ports: z.array(z.object({ name: z.string(), containerPort: z.number() })),
            readinessProbe: ZProbe,
            livenessProbe: ZProbe,
            lifecycle: z.object({ preStop: z.object({ exec: z.object({ command: z.array(z.string()) }) }) }),
          }),
        ),
      }),
    }),
  }),
});

describe('kubernetes', () => {
  const docs = parseAllDocuments(read('k8s/convene.yaml')).map((d) => d.toJS());
  const config = docs.find((d) => d.kind === 'ConfigMap')?.data as Record<string, string>;
  const secret = {
    DATABASE_URL: 'postgresql://convene:x@postgres:5432/convene',
    LIVEKIT_API_KEY: 'convene',
    LIVEKIT_API_SECRET: 'x'.repeat(32),
    METRICS_TOKEN: 'y'.repeat(16),
  };
  const env = parseEnv({ ...config, ...secret });
  const expected = {
    'convene-web': { port: env.PORT, ready: '/api/ready', live: '/api/health' },
    'convene-realtime': { port: env.REALTIME_PORT, ready: '/readyz', live: '/healthz' },
  } as const;

  test.each(Object.keys(expected) as (keyof typeof expected)[])(
    '%s: probes, ports and a grace period longer than the drain',
    (name) => {
      const deployment = ZDeployment.parse(
        docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name),
      );
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      expect(container?.readinessProbe.httpGet.path).toBe(expected[name].ready);
      expect(container?.livenessProbe.httpGet.path).toBe(expected[name].live);
      expect(container?.ports[0]?.containerPort).toBe(expected[name].port);
      const preStopSeconds = Number(container?.lifecycle.preStop.exec.command.at(-1));
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
        env.SHUTDOWN_TIMEOUT_SECONDS + preStopSeconds,
      );
      expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
      const service = docs.find((d) => d.kind === 'Service' && d.metadata.name === name);
      expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    },
  );

  test('web and realtime mount one ReadWriteMany recordings claim holding RECORDINGS_DIR', () => {
    const claim = docs.find(
      (d) => d.kind === 'PersistentVolumeClaim' && d.metadata.name === 'convene-recordings',
    );
    expect(claim?.spec.accessModes).toEqual(['ReadWriteMany']);
    for (const name of Object.keys(expected)) {
      const pod = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name).spec.template.spec;
      const volume = pod.volumes?.find(
        (v: { persistentVolumeClaim?: { claimName: string } }) =>
          v.persistentVolumeClaim?.claimName === 'convene-recordings',
      );
      expect(volume, name).toBeDefined();
      const mount = pod.containers[0].volumeMounts?.find((m: { name: string }) => m.name === volume.name);
      expect(env.RECORDINGS_DIR.startsWith(`${mount?.mountPath}/`), name).toBe(true);
    }
  });

  test('the realtime ingress pins long-polling sessions and keeps WebSockets open', () => {
    const ingress = docs.find((d) => d.kind === 'Ingress' && d.metadata.name === 'convene-realtime');
    expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/affinity']).toBe('cookie');
    expect(
      Number(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']),
    ).toBeGreaterThan(60);
    expect(ingress.spec.rules[0].http.paths[0].path).toBe('/socket.io/');
  });

  test('LiveKit chart values share Redis and send webhooks to the web service', () => {
    const values = parseYaml(read('k8s/livekit-values.yaml'));
    expect(values.livekit.redis.address).toContain(':6379');
    expect(config.REDIS_URL).toContain(values.livekit.redis.address);
    expect(values.livekit.webhook.urls[0]).toMatch(/^http:\/\/convene-web\..*:3000\/api\/livekit\/webhook$/);
    expect(values.replicaCount).toBeGreaterThanOrEqual(2);
  });
});

/** Metric names a process declares (`# TYPE`), with a histogram's _bucket/_sum/_count series. */
function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const [, name, type] = line.match(/^# TYPE (\S+) (\S+)/) ?? [];
    if (!name) continue;
    names.add(name);
    if (type === 'histogram' || type === 'summary') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    }
  }
  return names;
}

const dashboard = JSON.parse(read('grafana/convene-dashboard.json')) as {
  panels: { id: number; targets: { expr: string }[] }[];
};
const dashboardMetrics = (prefix: RegExp) =>
  [...new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(prefix) ?? [])))].sort();

describe('grafana dashboard', () => {
  test('panel ids are unique', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('every Convene and Node.js metric it queries is exposed by web or realtime', async () => {
    const realtimeRegistry = createMetricsRegistry({ service: 'realtime', instance: 'test' });
    const io = new Server(createServer());
    instrumentRealtime(io, realtimeRegistry);
    registerChatPersistMetrics(realtimeRegistry);
    const web = createWebObservability({
      env: { LIVEKIT_URL: 'ws://127.0.0.1:1' },
      db: { $queryRawUnsafe: async () => 1 },
      instance: 'test',
    });
    const exposed = new Set([
      ...exposedNames(await realtimeRegistry.metrics()),
      ...exposedNames(await web.registry.metrics()),
    ]);
    io.close();
    const queried = dashboardMetrics(/\b(convene|process|nodejs)_[a-z0-9_]+/g);
    expect(queried.length).toBeGreaterThan(8);
    // The required series each have a panel.
    for (const name of [
      'convene_realtime_connected_sockets',
      'convene_realtime_rooms',
      'convene_realtime_events_total',
      'convene_realtime_events_out_total',
      'convene_realtime_ack_seconds_bucket',
      'convene_chat_persist_seconds_bucket',
      'convene_webhook_deliveries_total',
      'convene_sse_clients',
    ])
      expect(queried, name).toContain(name);
    for (const name of queried) expect(exposed, name).toContain(name);
  });
});

describe('LiveKit production config', () => {
  const redisUrl = process.env.REDIS_URL;
  const children: ReturnType<typeof spawn>[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  test.runIf(redisUrl)(
    'livekit-server starts with infra/livekit/livekit.yaml and serves the metrics the dashboard uses',
    async () => {
      const { stringify } = await import('yaml');
      const config = parseYaml(read('livekit/livekit.yaml'));
      // Keep every key (livekit-server rejects unknown ones); only re-point the network parts.
      const [port, tcp, udp, prom] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
      const redis = new URL(redisUrl ?? '');
      Object.assign(config, { port, bind_addresses: ['127.0.0.1'], prometheus_port: prom });
      Object.assign(config.rtc, {
        tcp_port: tcp,
        udp_port: udp,
        node_ip: '127.0.0.1',
        enable_loopback_candidate: true,
        ips: { includes: ['127.0.0.1/32'] },
      });
      config.redis = { address: `${redis.hostname}:${redis.port || 6379}` };
      config.turn.enabled = false;
      config.webhook.urls = [];
      const child = spawn(join(ROOT, '.tools/bin/livekit-server'), ['--config-body', stringify(config)], {
        env: { ...process.env, LIVEKIT_KEYS: `convene: ${'s'.repeat(32)}` },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      children.push(child);
      let stderr = '';
      child.stderr?.on('data', (d) => {
        stderr += d;
      });
      // Node-level series appear after LiveKit's first stats tick (a few seconds).
      const wanted = dashboardMetrics(/\blivekit_[a-z0-9_]+/g);
      const deadline = Date.now() + 20_000;
      let exposed = new Set<string>();
      while (Date.now() < deadline && child.exitCode === null) {
        try {
          exposed = exposedNames(await (await fetch(`http://127.0.0.1:${prom}/metrics`)).text());
          if (wanted.every((name) => exposed.has(name))) break;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(child.exitCode, stderr.slice(-2000)).toBeNull();
      expect(wanted.length).toBeGreaterThan(1);
      for (const name of wanted) expect(exposed, name).toContain(name);
    },
    30_000,
  );
});
