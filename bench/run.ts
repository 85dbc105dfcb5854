// `npm run bench`: every benchmark, each writing its section of BENCHMARKS.md.
// Run one with `npm run bench -- chat`, `npm run bench -- sse` or `npm run bench -- recorder`.
import { runChatFanout } from './chat-fanout';
import { runRecorderCost } from './recorder-cost';
import { runSseFanout } from './sse-fanout';

const only = process.argv[2];
if (!only || only === 'chat') await runChatFanout();
if (!only || only === 'sse') await runSseFanout();
if (!only || only === 'recorder') await runRecorderCost();
process.exit(0);
