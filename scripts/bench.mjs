#!/usr/bin/env node
// `npm run bench`: distribution figures at 1,000,000 synthetic entries (BENCH_ENTRIES to change), printed.
// `npm run bench:worker` (argument `worker`): the worker itself under wrangler dev at N and N/10 entries.
import { spawnSync } from 'node:child_process';
import { ROOT, bin, offlineEnv } from './lib/env.mjs';

// Without an argument: distribution figures, then the partner CLI (the built dist/flagline.mjs) at 100,000 entries.
const files = process.argv[2] === 'worker' ? ['test/bench/worker.bench.ts'] : ['test/bench/distribution.bench.ts', 'test/bench/partner-cli.bench.ts'];
// --experimental-websocket: the worker bench samples the heap over wrangler's inspector (Node 20's WebSocket).
const run = spawnSync(bin('vitest'), ['run', '--project=bench', ...files, '--reporter=dot', '--silent=false', '--no-file-parallelism'], {
  cwd: ROOT,
  env: { ...offlineEnv(), NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=8192 --expose-gc --experimental-websocket`.trim() },
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
