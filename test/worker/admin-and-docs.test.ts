import { describe, expect, it, vi } from 'vitest';
import { call, db, flag, newOrg, operatorOrg } from './helpers';

describe('organizations and keys', () => {
  it('should create an organization and a key per role; the key works at once and is stored only as a hash', async () => {
    const root = await operatorOrg('admin');
    const org = await call('POST', '/v1/admin/orgs', { key: root.keys.admin, body: { name: 'Demo Payments', kind: 'payment_processor' } });
    expect(org.status).toBe(201);
    expect(org.json).toEqual({
      id: expect.stringMatching(/^org_/),
      name: 'Demo Payments',
      kind: 'payment_processor',
      createdAt: expect.any(String),
      suspendedAt: null,
    });

    const key = await call('POST', `/v1/admin/orgs/${org.json.id}/keys`, { key: root.keys.admin, body: { role: 'analyst', label: 'risk laptop' } });
    expect(key.status).toBe(201);
    expect(key.json).toMatchObject({ id: expect.stringMatching(/^key_/), key: expect.stringMatching(/^flk_[A-Za-z0-9_-]{43}$/), role: 'analyst' });
    expect(key.json.prefix).toBe(key.json.key.slice(0, 10));

    const stored = await db().prepare('SELECT * FROM api_keys WHERE id = ?1').bind(key.json.id).first<Record<string, string>>();
    expect(Object.values(stored!)).not.toContain(key.json.key);

    const me = await call('GET', '/v1/whoami', { key: key.json.key });
    expect(me.json).toMatchObject({ org: { id: org.json.id, name: 'Demo Payments' }, key: { role: 'analyst', label: 'risk laptop' } });
    // Last use is recorded after the response (waitUntil), so poll for it.
    const listed = await vi.waitFor(async () => {
      const res = await call('GET', `/v1/admin/orgs/${org.json.id}/keys`, { key: root.keys.admin });
      expect(res.json.keys[0]).toMatchObject({ id: key.json.id, lastUsedAt: expect.any(String), revokedAt: null });
      return res;
    });
    expect(listed.text).not.toContain(key.json.key);
  });

  it('should revoke a key at once, and audit who did what', async () => {
    const root = await operatorOrg('admin');
    const target = await newOrg('reader');
    const revoked = await call('POST', `/v1/admin/keys/${target.keyIds.reader}/revoke`, { key: root.keys.admin });
    expect(revoked.json.revokedAt).toEqual(expect.any(String));
    expect((await call('GET', '/v1/whoami', { key: target.keys.reader })).status).toBe(401);
    expect((await call('POST', `/v1/admin/keys/${target.keyIds.reader}/revoke`, { key: root.keys.admin })).json.error?.code).toBe('conflict');
    const audit = await call('GET', `/v1/admin/audit?subject=${target.keyIds.reader}`, { key: root.keys.admin });
    expect(audit.json.events).toEqual([expect.objectContaining({ action: 'key.revoked', actorKeyId: root.keyIds.admin })]);
  });

  it('should refuse bad input with specific codes', async () => {
    const root = await operatorOrg('admin');
    const dup = { name: 'Twice Demo', kind: 'ngo' };
    await call('POST', '/v1/admin/orgs', { key: root.keys.admin, body: dup });
    expect((await call('POST', '/v1/admin/orgs', { key: root.keys.admin, body: dup })).json.error?.code).toBe('conflict');
    const bad = await call('POST', '/v1/admin/orgs', { key: root.keys.admin, body: { name: 'x', kind: 'bank' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.fields?.map((f) => f.path).sort()).toEqual(['kind', 'name']);
    expect((await call('POST', '/v1/admin/orgs/org_missing/keys', { key: root.keys.admin, body: { role: 'reader', label: 'x' } })).status).toBe(404);
    expect((await call('POST', '/v1/admin/keys/key_missing/revoke', { key: root.keys.admin })).status).toBe(404);
  });

  it('should keep admin endpoints for admins', async () => {
    const org = await newOrg('analyst', 'reviewer', 'reader');
    for (const key of Object.values(org.keys)) {
      const res = await call('POST', '/v1/admin/orgs', { key, body: { name: 'Sneaky Demo', kind: 'other' } });
      expect([res.status, res.json.error?.code]).toEqual([403, 'forbidden']);
      expect((await call('GET', '/v1/admin/audit', { key })).status).toBe(403);
    }
  });
});

describe('the audit log, filtered and exported', () => {
  it('should filter by time, action family and organization, and export the same rows as CSV and NDJSON', async () => {
    const op = await operatorOrg('admin');
    const [a, b] = await Promise.all([newOrg('analyst', 'admin'), newOrg('analyst')]);
    const since = new Date().toISOString();
    const flagged = await flag(a.keys.analyst, { target: 'audited-demo.net', reason: 'nudify_site' });
    await flag(b.keys.analyst, { target: 'audited-demo.net', reason: 'nudify_site' });
    // A reason typed to be run by a spreadsheet that opens the export.
    const withdrawn = await call('POST', `/v1/flags/${flagged.json.results[0]!.flagId}/withdraw`, {
      key: a.keys.analyst,
      body: { reason: '=HYPERLINK("http://evil-demo.net")' },
    });
    expect(withdrawn.status).toBe(200);
    const json = await call('GET', `/v1/admin/audit?from=${encodeURIComponent(since)}&action=flag.&org=${a.org.id}&limit=1000`, { key: op.keys.admin });
    expect(json.status).toBe(200);
    expect(json.json.events.length).toBeGreaterThan(0);
    expect(json.json.events.every((e) => e.action.startsWith('flag.') && e.at >= since)).toBe(true);
    expect(json.text).not.toContain(b.org.id);

    const csv = await call('GET', `/v1/admin/audit?from=${encodeURIComponent(since)}&action=flag.&org=${a.org.id}&limit=1000&format=csv`, {
      key: op.keys.admin,
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,action,actorOrgId,actorKeyId,subjectType,subjectId,fromStatus,toStatus,reason,details');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(json.json.events.map((e) => e.id));
    expect([csv.headers.get('flagline-next'), csv.headers.get('flagline-more')]).toEqual([String(json.json.next), 'false']);
    // A cell a spreadsheet would run as a formula is defused.
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil-demo.net"")"`);
    expect(csv.text).not.toMatch(/(^|,)"?=HYPERLINK/m);

    const ndjson = await call('GET', `/v1/admin/audit?from=${encodeURIComponent(since)}&action=flag.&org=${a.org.id}&limit=1000&format=ndjson`, {
      key: op.keys.admin,
    });
    expect(
      ndjson.text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual(json.json.events.map((e) => e.id));

    // A member's admin reads its own organization's rows whatever org= names.
    const member = await call('GET', `/v1/admin/audit?from=${encodeURIComponent(since)}&org=${b.org.id}&limit=1000&format=ndjson`, { key: a.keys.admin });
    expect(member.text).not.toContain(b.org.id);
    expect((await call('GET', '/v1/admin/audit?from=yesterday', { key: op.keys.admin })).status).toBe(400);
  });
});

describe('contract and docs', () => {
  it('should publish OpenAPI 3.1 generated from the shared schemas', async () => {
    const res = await call('GET', '/openapi.json');
    expect(res.json.openapi).toBe('3.1.0');
    expect(Object.keys(res.json.paths)).toEqual(
      expect.arrayContaining(['/v1/flags', '/v1/list', '/v1/changes', '/v1/lookup', '/v1/admin/orgs', '/v1/admin/orgs/{id}/keys']),
    );
    expect(res.json.components.schemas.FlagInput?.properties.reason?.$ref).toBe('#/components/schemas/Reason');
  });

  it('should serve a docs page that needs no remote scripts', async () => {
    const res = await call('GET', '/docs');
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.text).toContain('/v1/flags');
    expect(res.text).not.toMatch(/<script[^>]+src=/);
  });

  it('should answer unknown paths with the one error shape', async () => {
    const res = await call('GET', '/v2/nothing');
    expect(res.status).toBe(404);
    expect(res.json.error).toEqual({ code: 'not_found', message: expect.any(String), requestId: expect.any(String) });
    expect(res.headers.get('x-request-id')).toBe(res.json.error?.requestId);
  });
});

describe('HTTP hygiene', () => {
  it('should answer a wrong method with 405 and Allow, and an unknown path with 404', async () => {
    const del = await call('DELETE', '/v1/flags');
    expect([del.status, del.headers.get('allow'), del.json.error?.code]).toEqual([405, 'GET, HEAD, POST', 'method_not_allowed']);
    // Admin paths first ask who is calling: a wrong method is a 405 once the key is known.
    const put = await call('PUT', '/v1/admin/orgs/org_x/keys', { key: (await operatorOrg('admin')).keys.admin });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST']);
    expect((await call('PATCH', '/v1/list')).headers.get('allow')).toBe('GET, HEAD');
    expect((await call('GET', '/v1/nothing-here')).status).toBe(404);
  });

  it('should send security headers on every answer, and a strict policy on /docs', async () => {
    for (const res of [await call('GET', '/health'), await call('GET', '/v1/whoami'), await call('GET', '/v1/nothing-here')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
      // CORS stays closed: the extension calls with host permissions, no page may read the API.
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    const docs = await call('GET', '/docs');
    expect(docs.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('should make its own request ids, never echo a client-chosen one, and quote at most an excerpt of input', async () => {
    const res = await call('GET', `/v1/${'x'.repeat(50_000)}`, { headers: { 'x-request-id': 'client-chosen-id' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json.error?.requestId).toBe(res.headers.get('x-request-id'));
    expect(res.text.length).toBeLessThan(400);
    const flagged = await call('POST', '/v1/lookup', { key: (await operatorOrg('reader')).keys.reader, body: { inputs: [`ftp://${'y'.repeat(2000)}`] } });
    expect(JSON.stringify(flagged.json).length).toBeLessThan(2500);
  });

  it('should keep answers that carry a secret out of every cache', async () => {
    const op = await operatorOrg('admin');
    const member = await newOrg();
    const created = await call('POST', `/v1/admin/orgs/${member.org.id}/keys`, { key: op.keys.admin, body: { role: 'reader', label: 'cache test' } });
    expect([created.status, created.headers.get('cache-control')]).toEqual([201, 'no-store']);
  });

  it('should take Basic auth for TAXII only', async () => {
    const { reader } = (await operatorOrg('reader')).keys;
    const basic = { authorization: `Basic ${btoa(`reader:${reader}`)}` };
    expect((await call('GET', '/v1/whoami', { headers: basic })).status).toBe(401);
    expect((await call('GET', '/taxii2/', { headers: basic })).status).toBe(200);
    expect((await call('GET', '/v1/whoami', { key: reader })).status).toBe(200);
  });
});

describe("an organization's figures", () => {
  it('should count its flags by what became of them, and the share of decided ones the list stands behind', async () => {
    const [mine, other] = await Promise.all([newOrg('analyst', 'admin'), newOrg('analyst', 'admin')]);
    const { reviewer, admin } = (await operatorOrg('reviewer', 'admin')).keys;
    const flagged = async (target: string) => (await flag(mine.keys.analyst, { target, reason: 'nudify_site' })).json.results[0]!.flagId;
    for (const target of ['figures-listed-demo.net', 'figures-disputed-demo.net']) {
      await flagged(target);
      await flag(other.keys.analyst, { target, reason: 'nudify_site' });
    }
    // An appeal alone changes nothing partners see; a reviewer marks the listing disputed while deciding.
    await call('POST', '/v1/indicators/dispute', { key: reviewer, body: { target: 'figures-disputed-demo.net', reason: 'The owner appealed.' } });
    await flagged('figures-pending-demo.net');
    await flagged('figures-rejected-demo.net');
    await call('POST', '/v1/indicators/reject', { key: reviewer, body: { target: 'figures-rejected-demo.net', reason: 'A photo editor.' } });
    const mistake = await flagged('figures-mistake-demo.net');
    await call('POST', `/v1/flags/${mistake}/withdraw`, { key: mine.keys.analyst, body: { reason: 'Wrong tab.' } });

    const path = `/v1/admin/orgs/${mine.org.id}/figures` as const;
    const figures = await call('GET', path, { key: mine.keys.admin });
    expect(figures.json).toEqual({
      orgId: mine.org.id,
      flags: { listed: 1, disputed: 1, pending: 1, rejected: 1, withdrawn: 1, expired: 0 },
      confirmedShare: 2 / 3,
    });
    expect((await call('GET', path, { key: admin })).json).toEqual(figures.json);
    // Another member's admin cannot tell the organization exists; analysts are not admins.
    expect((await call('GET', path, { key: other.keys.admin })).status).toBe(404);
    expect((await call('GET', path, { key: mine.keys.analyst })).status).toBe(403);
    const fresh = await newOrg('admin');
    expect((await call('GET', `/v1/admin/orgs/${fresh.org.id}/figures`, { key: fresh.keys.admin })).json.confirmedShare).toBeNull();
  });
});
