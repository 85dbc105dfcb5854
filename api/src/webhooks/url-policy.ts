import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../errors';

/**
 * SSRF hygiene for outgoing webhooks: only http(s), and never a private, loopback, link-local or
 * otherwise internal address unless the operator allowed that network (WEBHOOK_ALLOWED_NETWORKS).
 * The check runs when an endpoint is saved and again on every connection (in the DNS lookup the
 * HTTP client uses), so a DNS answer that changes later cannot point a delivery inward.
 */
const INTERNAL: Array<[string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 3, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const NAMED: Record<string, Array<[string, number, 'ipv4' | 'ipv6']>> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  private: INTERNAL,
};

export interface TUrlPolicy {
  /** Throws VALIDATION_FAILED when the address may not be contacted. */
  assertAddressAllowed(address: string): void;
  isAddressAllowed(address: string): boolean;
}

function toBlockList(entries: Array<[string, number, 'ipv4' | 'ipv6']>): BlockList {
  const list = new BlockList();
  for (const [net, prefix, family] of entries) list.addSubnet(net, prefix, family);
  return list;
}

/** `allowed`: `loopback`, `private`, or CIDRs like `10.1.0.0/16`. */
export function createUrlPolicy(allowed: string[]): TUrlPolicy {
  const internal = toBlockList(INTERNAL);
  const allowList = new BlockList();
  for (const entry of allowed) {
    for (const [net, prefix, family] of NAMED[entry] ?? [parseCidr(entry)])
      allowList.addSubnet(net, prefix, family);
  }
  const isAllowed = (raw: string) => {
    const address = unmapIpv4(raw);
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(address)) return false;
    return !internal.check(address, family) || allowList.check(address, family);
  };
  return {
    isAddressAllowed: isAllowed,
    assertAddressAllowed(address) {
      if (!isAllowed(address)) {
        throw new AppError('VALIDATION_FAILED', 'The webhook URL points to a private or internal address.', [
          { path: 'url', message: 'private and internal addresses are not allowed on this server' },
        ]);
      }
    },
  };
}

function parseCidr(entry: string): [string, number, 'ipv4' | 'ipv6'] {
  const [net, bits] = entry.split('/');
  const version = isIP(net ?? '');
  if (!net || !version) throw new Error(`WEBHOOK_ALLOWED_NETWORKS: not a network: ${entry}`);
  const prefix = bits === undefined ? (version === 4 ? 32 : 128) : Number(bits);
  return [net, prefix, version === 4 ? 'ipv4' : 'ipv6'];
}

function unmapIpv4(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

/** The networks allowed by default: loopback when the server itself runs on loopback (dev/test). */
export function defaultAllowedNetworks(publicUrl: string, configured: string[] | undefined): string[] {
  if (configured) return configured;
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || host.startsWith('127.') ? ['loopback'] : [];
}

/** Checks a URL for saving: scheme, no credentials, and every address its host resolves to. */
export async function assertWebhookUrlAllowed(policy: TUrlPolicy, raw: string): Promise<void> {
  const url = new URL(raw);
  const fail = (message: string) => {
    throw new AppError('VALIDATION_FAILED', 'The webhook URL is not allowed.', [{ path: 'url', message }]);
  };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('must be http(s)');
  if (url.username || url.password) fail('must not contain credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : await resolveAll(host).catch(() => fail('the host does not resolve'));
  for (const address of addresses ?? []) policy.assertAddressAllowed(address);
}

function resolveAll(host: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, addresses: LookupAddress[]) =>
      error ? reject(error) : resolve(addresses.map((a) => a.address)),
    ),
  );
}

/** A `lookup` for node:http(s) that refuses disallowed addresses at connection time. */
export function guardedLookup(policy: TUrlPolicy) {
  return (
    hostname: string,
    options: object,
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, []);
      const allowed = addresses.filter((a) => policy.isAddressAllowed(a.address));
      if (allowed.length === 0) {
        const refused: NodeJS.ErrnoException = new Error(
          `address of ${hostname} is not allowed (private network)`,
        );
        refused.code = 'EADDRBLOCKED';
        return callback(refused, []);
      }
      if ((options as { all?: boolean }).all) return callback(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}
