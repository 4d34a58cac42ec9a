#!/usr/bin/env node
// Creates an operator organization with one admin key in the D1 database (--remote for Cloudflare,
// --local for the dev database) and prints the key once. Only its hash is stored.
// Usage: node scripts/bootstrap-admin.mjs --remote "Organization name"
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecret, newOrgId, seedSql } from './lib/dev-keys.mjs';
import { ROOT, bin, offlineEnv } from './lib/env.mjs';

const where = process.argv.includes('--local') ? '--local' : process.argv.includes('--remote') ? '--remote' : null;
const name = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
if (!where || !name) {
  console.error('Usage: node scripts/bootstrap-admin.mjs --remote|--local "Organization name"');
  process.exit(2);
}

// One operator per deployment: a second run would make a second one (the database refuses it).
const existing = spawnSync(bin('wrangler'), ['d1', 'execute', 'DB', where, '--json', "--command=SELECT id, name FROM orgs WHERE kind = 'operator'"], {
  cwd: ROOT,
  env: offlineEnv(),
  encoding: 'utf8',
});
if (existing.status !== 0) {
  process.stderr.write(existing.stdout + existing.stderr);
  process.exit(existing.status ?? 1);
}
const [operator] = JSON.parse(existing.stdout)[0].results;
if (operator) {
  console.error(`This deployment already has its operator organization, "${operator.name}" (${operator.id}).`);
  console.error(`Make more admin keys with an existing one: POST /v1/admin/orgs/${operator.id}/keys {"role": "admin", "label": "…"}.`);
  process.exit(1);
}

const secret = generateSecret();
const dir = mkdtempSync(join(tmpdir(), 'flagline-admin-'));
try {
  const file = join(dir, 'admin.sql');
  writeFileSync(file, seedSql({ orgId: newOrgId(), orgName: name, orgKind: 'operator', keys: { admin: secret } }));
  const result = spawnSync(bin('wrangler'), ['d1', 'execute', 'DB', where, `--file=${file}`], { cwd: ROOT, env: offlineEnv(), stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\nAdmin key for "${name}" (shown once, store it in your secrets manager):\n  ${secret}`);
