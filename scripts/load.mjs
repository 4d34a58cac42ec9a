#!/usr/bin/env node
// `npm run load`: 1, 10 and 50 analysts flagging at once against a fresh local worker, then the database
// checked for lost, duplicated or miscounted flags. LOAD_SECONDS sets each step's length (default 8).
import { spawnSync } from 'node:child_process';
import { ROOT, bin, offlineEnv } from './lib/env.mjs';

const run = spawnSync(bin('vitest'), ['run', '--project=load', '--reporter=dot', '--silent=false'], { cwd: ROOT, env: offlineEnv(), stdio: 'inherit' });
process.exit(run.status ?? 1);
