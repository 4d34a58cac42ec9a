#!/usr/bin/env node
// `npm run bench`: distribution figures at 1,000,000 synthetic entries (BENCH_ENTRIES to change), printed.
import { spawnSync } from 'node:child_process';
import { ROOT, bin, offlineEnv } from './lib/env.mjs';

const run = spawnSync(bin('vitest'), ['run', '--project=bench', '--reporter=dot', '--silent=false'], {
  cwd: ROOT,
  env: { ...offlineEnv(), NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=8192 --expose-gc`.trim() },
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
