import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_KEY_PATTERN } from '../../shared';
// @ts-expect-error plain JavaScript module used by `npm start`
import { generateSecret, hashSecret, loadOrCreateDevKeys, seedSql } from '../../scripts/lib/dev-keys.mjs';

describe('npm start dev keys', () => {
  it('should make keys in the API key format the worker accepts', () => {
    expect(generateSecret()).toMatch(API_KEY_PATTERN);
  });

  it('should write the keys file once, private to the user, and reuse it on the next start', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flagline-keys-')), '.flagline', 'dev-keys.json');
    const first = loadOrCreateDevKeys(file, 'http://127.0.0.1:8787');
    const second = loadOrCreateDevKeys(file, 'http://127.0.0.1:8787');
    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.data).toEqual(first.data);
    expect(Object.keys(first.data.keys)).toEqual(['admin', 'analyst', 'reviewer', 'reader']);
    expect(JSON.parse(readFileSync(file, 'utf8')).endpoint).toBe('http://127.0.0.1:8787');
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('should seed idempotently and store only hashes', () => {
    const secret = generateSecret();
    const sql = seedSql({ orgId: 'org_dev', orgName: "Dev's org", orgKind: 'operator', keys: { admin: secret } });
    expect(sql).toContain('INSERT OR IGNORE INTO orgs');
    expect(sql).toContain("'Dev''s org'");
    expect(sql).toContain(hashSecret(secret));
    expect(sql).not.toContain(secret);
  });
});
