// `npm run bench`: every benchmark, each writing its section of BENCHMARKS.md.
import { runChatFanout } from './chat-fanout';

await runChatFanout();
process.exit(0);
