#!/usr/bin/env node
// `npm start`: local D1 with migrations applied, dev org and keys, the worker under `wrangler dev`,
// and the extension built for Chrome and Firefox. Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_ORG_ID, loadOrCreateDevKeys, seedSql } from './lib/dev-keys.mjs';
import { ensureSigningKey } from './lib/signing-key.mjs';
import { ROOT, bin, offlineEnv } from './lib/env.mjs';

const PORT = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(PORT) || PORT < 1 || PORT > 65535) {
  console.error(`PORT must be a TCP port (1-65535), not "${process.env.PORT}".`);
  process.exit(2);
}
const ENDPOINT = `http://127.0.0.1:${PORT}`;
const KEYS_FILE = join(ROOT, '.flagline', 'dev-keys.json');
// The extension is built to talk to this API by default.
const env = { ...offlineEnv(), FLAGLINE_API: process.env.FLAGLINE_API ?? ENDPOINT };

function run(command, args, label) {
  const result = spawnSync(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}\n${result.stderr}\n`);
    throw new Error(`${label} failed (exit ${result.status})`);
  }
  return result.stdout;
}

console.log('Flagline: applying D1 migrations to the local database…');
run(bin('wrangler'), ['d1', 'migrations', 'apply', 'DB', '--local'], 'migrations');

if (ensureSigningKey(join(ROOT, '.dev.vars'))) console.log('Generated a local Ed25519 signing key in .dev.vars (git-ignored).');

const { created, data } = loadOrCreateDevKeys(KEYS_FILE, ENDPOINT);
const dir = mkdtempSync(join(tmpdir(), 'flagline-seed-'));
try {
  const file = join(dir, 'seed.sql');
  writeFileSync(file, seedSql({ orgId: DEV_ORG_ID, orgName: 'Flagline dev', orgKind: 'operator', keys: data.keys }));
  run(bin('wrangler'), ['d1', 'execute', 'DB', '--local', `--file=${file}`], 'seeding dev keys');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
writeFileSync(KEYS_FILE, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });

if (created) {
  console.log('\nDev keys (shown once; also in .flagline/dev-keys.json, git-ignored):');
  for (const [role, key] of Object.entries(data.keys)) console.log(`  ${role.padEnd(9)} ${key}`);
} else {
  console.log('\nDev keys: .flagline/dev-keys.json (admin, analyst, reviewer, reader)');
}

if (process.argv.includes('--worker-only') || !existsSync(join(ROOT, 'extension', 'entrypoints'))) {
  // nothing to build
} else {
  console.log('\nBuilding the extension for Chrome and Firefox…');
  run(bin('wxt'), ['build'], 'Chrome build');
  run(bin('wxt'), ['build', '-b', 'firefox', '--mv3'], 'Firefox build');
  console.log('  .output/chrome-mv3  (chrome://extensions → Developer mode → Load unpacked)');
  console.log('  .output/firefox-mv3 (about:debugging → This Firefox → Load Temporary Add-on → manifest.json)');
}

console.log(`\nStarting the API on ${ENDPOINT} (PORT=${PORT}; set PORT to use another)…`);
const worker = spawn(bin('wrangler'), ['dev', '--ip', '127.0.0.1', '--port', String(PORT)], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
const stop = () => worker.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
worker.on('exit', (code) => process.exit(code ?? 0));

for (let i = 0; i < 120; i++) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  const ok = await fetch(`${ENDPOINT}/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) {
    console.log(`\nFlagline API ready at ${ENDPOINT}  (docs: ${ENDPOINT}/docs)  Ctrl-C to stop.`);
    break;
  }
}
