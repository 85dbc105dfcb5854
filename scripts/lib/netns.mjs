import { existsSync } from 'node:fs';

/**
 * Shell prologue for a loopback-only network namespace (`unshare -n -- sh -c NETNS_SETUP cmd…`).
 * libwebrtc (rtc-node bots) ignores loopback interfaces when gathering ICE candidates, so the
 * namespace also gets a veth pair whose both ends stay inside it, with a benchmarking-range
 * address (RFC 2544): it has no path out, so nothing sent on it can leave the namespace.
 */
export const NETNS_SETUP =
  'ip link set lo up && ip link add convene0 type veth peer name convene1 && ' +
  'ip addr add 198.18.0.1/32 dev convene0 && ip link set convene1 up && ' +
  'ip link set convene0 up && exec "$0" "$@"';

/** Root with `unshare` available, and not disabled with CONVENE_TEST_NETNS=0. */
export function canUseNetns() {
  return process.env.CONVENE_TEST_NETNS !== '0' && process.getuid?.() === 0 && existsSync('/usr/bin/unshare');
}
