import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { pruneExpired } from '../../worker/src/services/retention';
import { call, flag, newOrg, operatorOrg } from './helpers';

// A file of its own: expiry acts on every stale URL and host in the list, so it must not share one.
let reader: string;
const list2 = async (target: string) => {
  for (const org of [await newOrg('analyst'), await newOrg('analyst')]) await flag(org.keys.analyst, { target, reason: 'nudify_site' });
};

beforeAll(async () => {
  reader = (await operatorOrg('reader')).keys.reader;
});

describe('expiry of short-lived kinds', () => {
  it('should expire listed URLs and hosts nobody flagged for EXPIRY_DAYS, with tombstones, and keep domains', async () => {
    await list2('kept-expiry-demo.net');
    await list2('203.0.113.9');
    await list2("url:https://files-expiry-demo.net/it's/pay");
    const head = (await call('GET', '/v1/list', { key: reader })).json.version;
    const { expired } = await pruneExpired(env, Date.now() + 31 * 86_400_000);
    expect(expired).toBe(2);
    const page = (await call('GET', `/v1/changes?since=${head}`, { key: reader })).json;
    expect(page.changes.map((c) => `${c.op} ${c.kind}:${c.value}`).sort()).toEqual([
      'remove host:203.0.113.9',
      "remove url:https://files-expiry-demo.net/it's/pay",
    ]);
    // This test's own expiries (the other test's may be in the same log, whichever order they run in).
    const audit = await env.DB.prepare(
      `SELECT COUNT(*) AS n FROM audit_log AS a JOIN indicators AS i ON i.id = a.subject_id
       WHERE a.action = 'indicator.expired' AND i.value IN ('203.0.113.9', 'https://files-expiry-demo.net/it''s/pay')`,
    ).first<{ n: number }>();
    expect(audit!.n).toBe(2);
    const list = (await call('GET', '/v1/list', { key: reader })).json.entries.map((e) => e.kind);
    expect(list).not.toContain('url');
    expect(list).toContain('domain');
  });
});

describe('expiry by kind (EXPIRY_DAYS_BY_KIND)', () => {
  it('should give each kind its own lifetime, leave unnamed kinds alone, and refuse a bad setting at start', async () => {
    await list2('url:https://short-lived-demo.net/pay');
    await list2('host:cdn.longer-lived-demo.net');
    await list2('brand-lifetime-demo.net');
    const head = (await call('GET', '/v1/list', { key: reader })).json.version;
    // Within the change log's 90 days, so the delta still answers.
    const settings = { ...env, EXPIRY_DAYS_BY_KIND: 'url=7,domain=60' };
    expect((await pruneExpired(settings, Date.now() + 8 * 86_400_000)).expired).toBe(1);
    expect((await pruneExpired(settings, Date.now() + 31 * 86_400_000)).expired).toBe(1);
    expect((await pruneExpired(settings, Date.now() + 61 * 86_400_000)).expired).toBeGreaterThanOrEqual(1);
    const removed = (await call('GET', `/v1/changes?since=${head}`, { key: reader })).json.changes
      .filter((c) => c.op === 'remove')
      .map((c) => `${c.kind}:${c.value}`);
    expect(removed.slice(0, 2)).toEqual(['url:https://short-lived-demo.net/pay', 'host:cdn.longer-lived-demo.net']);
    expect(removed).toContain('domain:brand-lifetime-demo.net');
    await expect(pruneExpired({ ...env, EXPIRY_DAYS_BY_KIND: 'domian=5' })).rejects.toThrow(/domian=5/);
  });
});

describe("an organization's figures after an expiry", () => {
  it('should count its expired flags as expired, not rejected, and leave its confirmed share alone', async () => {
    const [mine, other] = [await newOrg('analyst', 'admin'), await newOrg('analyst')];
    for (const o of [mine, other]) await flag(o.keys.analyst, { target: 'url:https://figures-expiry-demo.net/pay', reason: 'nudify_site' });
    await flag(mine.keys.analyst, { target: 'figures-expiry-brand-demo.net', reason: 'nudify_site' });
    await flag(other.keys.analyst, { target: 'figures-expiry-brand-demo.net', reason: 'nudify_site' });
    const figures = () => call('GET', `/v1/admin/orgs/${mine.org.id}/figures`, { key: mine.keys.admin });
    expect((await figures()).json).toMatchObject({ flags: { listed: 2, expired: 0, rejected: 0 }, confirmedShare: 1 });
    await pruneExpired(env, Date.now() + 31 * 86_400_000);
    expect((await figures()).json).toMatchObject({ flags: { listed: 1, expired: 1, rejected: 0, withdrawn: 0 }, confirmedShare: 1 });
  });
});
