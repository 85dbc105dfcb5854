import type { ChildProcess } from 'node:child_process';

export interface TClusterService {
  name: string;
  child: ChildProcess;
  exited: Promise<number | string>;
  tail: string[];
}

/** A restartable cluster process (realtime or web). */
export interface TClusterProcess {
  name: string;
  service: TClusterService;
  readyUrl: string;
  /** Starts it (again, on the same port and INSTANCE_ID) and waits until it answers. */
  start(): Promise<TClusterProcess>;
  /** Sends a signal to its process group; its exit is then expected, not reported. */
  signal(signal: NodeJS.Signals): void;
  waitExit(): Promise<number | string>;
}

export interface TClusterPorts {
  nginx: number;
  web: number[];
  realtime: number[];
  livekit: number[];
  livekitTcp: number[];
  livekitUdp: number[];
  redis: number;
}

export interface TLocalCluster {
  /** nginx: the single origin for web, Socket.IO and LiveKit signalling. */
  url: string;
  ports: TClusterPorts;
  databaseUrl: string;
  keys: { apiKey: string; apiSecret: string };
  livekit: { name: string; url: string; service: TClusterService }[];
  realtime: TClusterProcess[];
  web: TClusterProcess[];
  redis: { url: string; bounce(downMs: number): Promise<void> };
  nginxConfig: string;
  stop(): Promise<void>;
}

export const DEFAULT_PORTS: TClusterPorts;

export function startLocalCluster(options?: {
  fixedPorts?: boolean;
  quiet?: boolean;
  dir?: string;
  drainSpreadMs?: number;
}): Promise<TLocalCluster>;
