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
    expect(page.changes.map((c) => `${c.op} ${c.kind}:${c.value}`)).toEqual(['remove host:203.0.113.9', "remove url:https://files-expiry-demo.net/it's/pay"]);
    const audit = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'indicator.expired'").first<{ n: number }>();
    expect(audit!.n).toBe(2);
    const list = (await call('GET', '/v1/list', { key: reader })).json.entries.map((e) => e.kind);
    expect(list).not.toContain('url');
    expect(list).toContain('domain');
  });
});
