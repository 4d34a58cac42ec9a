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
