// `npm run bench`: every benchmark, each writing its section of BENCHMARKS.md.
// Run one with `npm run bench -- chat` or `npm run bench -- sse`.
import { runChatFanout } from './chat-fanout';
import { runSseFanout } from './sse-fanout';

const only = process.argv[2];
if (!only || only === 'chat') await runChatFanout();
if (!only || only === 'sse') await runSseFanout();
process.exit(0);
