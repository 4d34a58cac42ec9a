#!/usr/bin/env node
// `npm test`: every test (shared in Node, worker in workerd with a real local D1, extension in Chromium and Firefox),
// then one plain summary line CI can read: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, bin, offlineEnv } from './lib/env.mjs';

const env = offlineEnv();
const resultsFile = join(ROOT, '.flagline', 'test-results.json');
mkdirSync(join(ROOT, '.flagline'), { recursive: true });

// Checks that stop drift before any test runs: lint and format, the generated Env types against
// wrangler.jsonc, then types (the extension/shared project and the worker project have different globals).
const checks = [
  ['lint and format (biome check; `npm run format` fixes formatting)', bin('biome'), ['check', '--error-on-warnings', '.']],
  [
    'generated worker types match wrangler.jsonc (`npm run cf-typegen` regenerates)',
    bin('wrangler'),
    ['types', '--strict-vars=false', '--include-runtime=false', 'worker/worker-configuration.d.ts', '--check'],
  ],
  ['type check', bin('tsc'), ['--noEmit', '-p', '.']],
  ['type check (worker)', bin('tsc'), ['--noEmit', '-p', 'worker']],
];
for (const [name, command, args] of checks) {
  const run = spawnSync(command, args, { cwd: ROOT, env, stdio: 'inherit' });
  if (run.status !== 0) {
    console.log(`\n0 passed, 1 failed (${name})`);
    process.exit(run.status ?? 1);
  }
}

// The partner CLI tests run the built command: build it from the current source too.
const cli = spawnSync('npm', ['run', '--silent', 'build:cli'], { cwd: ROOT, env, stdio: 'inherit' });
if (cli.status !== 0) process.exit(cli.status ?? 1);

if (existsSync(join(ROOT, 'test', 'extension'))) {
  // Browser tests load the built extension, so build it from the current source first.
  for (const args of [['build'], ['build', '-b', 'firefox', '--mv3']]) {
    const build = spawnSync(bin('wxt'), args, { cwd: ROOT, env, stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
}

const vitest = spawnSync(
  bin('vitest'),
  [
    'run',
    '--project=unit',
    '--project=extension',
    '--project=worker',
    '--project=e2e',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${resultsFile}`,
    ...process.argv.slice(2),
  ],
  { cwd: ROOT, env, stdio: 'inherit' },
);

if (existsSync(resultsFile)) {
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  // Name what was skipped and why (a test that skips says why in its title: no Chromium, no named-checkzone).
  const skips = new Map();
  for (const file of r.testResults) {
    for (const t of file.assertionResults) {
      if (t.status !== 'pending' && t.status !== 'skipped' && t.status !== 'todo') continue;
      const why = /\((skipped: [^)]*)\)/.exec(t.fullName)?.[1] ?? 'skipped';
      const key = `${file.name.replace(ROOT, '')}: ${why}`;
      skips.set(key, (skips.get(key) ?? 0) + 1);
    }
  }
  for (const [where, n] of skips) console.log(`  skipped ${n} in ${where}`);
  if (skips.size)
    console.log("  (the full run needs Debian's chromium, firefox-esr and bind9-utils: sudo apt-get install -y chromium firefox-esr bind9-utils)");
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
}
process.exit(vitest.status ?? 1);
