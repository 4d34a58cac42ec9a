import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { isOnList } from '../../shared';
import { LocalList } from '../../shared/client';
import { pruneExpired } from '../../worker/src/services/retention';
import { call, flag, newOrg, operatorOrg } from './helpers';

let orgs: Awaited<ReturnType<typeof newOrg>>[];
let reader: string;
let reviewer: string;

/** Flags a target from two organizations, which lists it. */
const list2 = async (target: string, reason = 'nudify_site') => {
  for (const org of orgs.slice(0, 2)) await flag(org.keys.analyst, { target, reason });
};

beforeAll(async () => {
  orgs = [await newOrg('analyst'), await newOrg('analyst'), await newOrg('analyst')];
  const other = await operatorOrg('reader', 'reviewer');
  reader = other.keys.reader;
  reviewer = other.keys.reviewer;
});

describe('GET /v1/list, /v1/changes and the checksum', () => {
  it('should hold only listed and disputed indicators, each with reasons and counts but no organizations', async () => {
    await list2('alpha-list-demo.net');
    await flag(orgs[0]!.keys.analyst, { target: 'only-reported-demo.net', reason: 'nudify_site' });
    await list2('acct_1AlphaListDemo01', 'payment_front');
    const res = await call('GET', '/v1/list', { key: reader });
    const mine = ['alpha-list-demo.net', 'only-reported-demo.net', 'stripe:acct_1AlphaListDemo01'];
    expect(res.json.entries.filter((e) => mine.includes(e.value))).toEqual([
      { kind: 'domain', value: 'alpha-list-demo.net', status: 'listed', reasons: ['nudify_site'], orgCount: 2 },
      { kind: 'merchant', value: 'stripe:acct_1AlphaListDemo01', status: 'listed', reasons: ['payment_front'], orgCount: 2 },
    ]);
    expect(res.json.entries.every((e) => isOnList(e.status))).toBe(true);
    expect((await LocalList.fromSnapshot(res.json)).checksum()).toBe(res.json.checksum);
    expect(res.text).not.toMatch(/org_/);
  });

  it('should answer 304 to If-None-Match while the version is unchanged, and 200 after a change', async () => {
    const first = await call('GET', '/v1/list', { key: reader });
    const etag = first.headers.get('etag')!;
    expect((await call('GET', '/v1/list', { key: reader, headers: { 'if-none-match': etag } })).status).toBe(304);
    await list2('bravo-list-demo.net');
    expect((await call('GET', '/v1/list', { key: reader, headers: { 'if-none-match': etag } })).status).toBe(200);
  });

  it('should give CSV and plain text from the same store, and filter by kind', async () => {
    await list2('csv-list-demo.net');
    await list2('acct_1CsvListDemo0001', 'payment_front');
    const csv = await call('GET', '/v1/list?format=csv', { key: reader });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = csv.text.split('\r\n');
    expect(rows[0]).toBe('kind,value,status,reasons,org_count,service');
    expect(rows).toContain('domain,csv-list-demo.net,listed,nudify_site,2,');
    const txt = await call('GET', '/v1/list?format=txt', { key: reader });
    const names = txt.text.split('\n').filter((l) => !l.startsWith('#') && l);
    expect(names).toContain('csv-list-demo.net');
    expect(names.some((n) => n.includes('acct_'))).toBe(false);
    const merchants = await call('GET', '/v1/list?format=csv&kind=merchant', { key: reader });
    // The last line is the file's signature, a # comment: no kind starts with #.
    const merchantRows = merchants.text.trim().split('\r\n').slice(1, -1);
    expect(merchants.text.trim().split('\r\n').at(-1)).toMatch(/^# flagline-file-v1 format=csv /);
    expect(merchantRows).toContain('merchant,stripe:acct_1CsvListDemo0001,listed,payment_front,2,');
    expect(merchantRows.every((r) => r.startsWith('merchant,'))).toBe(true);
    expect((await call('GET', '/v1/list?format=xml', { key: reader })).json.error?.code).toBe('invalid_request');
  });

  it('should page changes after a version, with tombstones, so a client ends with exactly the server list', async () => {
    await list2('gone-list-demo.net');
    await list2('appealed-list-demo.net');
    const snapshot = (await call('GET', '/v1/list', { key: reader })).json;
    const local = await LocalList.fromSnapshot(snapshot);
    await list2('charlie-list-demo.net');
    await list2('delta-list-demo.net');
    await call('POST', '/v1/indicators/delist', { key: reviewer, body: { target: 'gone-list-demo.net', reason: 'owner changed' } });
    await call('POST', '/v1/indicators/dispute', { key: reviewer, body: { target: 'appealed-list-demo.net', reason: 'appeal received' } });
    await flag(orgs[2]!.keys.analyst, { target: 'charlie-list-demo.net', reason: 'affiliate' });

    const pages = [];
    let since = snapshot.version;
    for (;;) {
      const page = (await call('GET', `/v1/changes?since=${since}&limit=2`, { key: reader })).json;
      pages.push(page);
      expect(await local.applyPage(page)).toBe(true);
      since = page.next;
      if (!page.more) break;
    }
    expect(pages.length).toBe(3);
    expect(pages.flatMap((p) => p.changes.map((c) => `${c.op} ${c.value}`))).toEqual([
      'upsert charlie-list-demo.net',
      'upsert delta-list-demo.net',
      'remove gone-list-demo.net',
      'upsert appealed-list-demo.net',
      'upsert charlie-list-demo.net',
    ]);
    expect(pages.at(-1)?.pollAfterSeconds).toBe(60);
    expect(pages[0]?.pollAfterSeconds).toBe(0);

    const server = (await call('GET', '/v1/list', { key: reader })).json;
    expect([...local.entries.values()].sort((a, b) => a.value.localeCompare(b.value))).toEqual(
      [...server.entries].sort((a, b) => a.value.localeCompare(b.value)),
    );
    expect(local.version).toBe(server.version);
  });

  it('should return an empty page at the head, and tell a client ahead of the server to resync', async () => {
    const head = (await call('GET', '/v1/list', { key: reader })).json;
    const atHead = await call('GET', `/v1/changes?since=${head.version}`, { key: reader });
    expect(atHead.json).toMatchObject({ changes: [], next: head.version, more: false, checksum: head.checksum });
    const ahead = await call('GET', `/v1/changes?since=${head.version + 10}`, { key: reader });
    expect([ahead.status, ahead.json.error?.code]).toEqual([410, 'resync_required']);
    expect((await call('GET', '/v1/changes?since=-1', { key: reader })).status).toBe(400);
  });

  it('should tell a client whose version was pruned to resync from the list', async () => {
    for (const name of ['prune-a-list-demo.net', 'prune-b-list-demo.net', 'prune-c-list-demo.net']) await list2(name);
    await pruneExpired(env, Date.now() + 365 * 86_400_000);
    const head = (await call('GET', '/v1/list', { key: reader })).json;
    const old = await call('GET', '/v1/changes?since=1', { key: reader });
    expect([old.status, old.json.error?.code]).toEqual([410, 'resync_required']);
    expect(old.json.error?.message).toMatch(/resync from \/v1\/list/);
    const fromHead = await call('GET', `/v1/changes?since=${head.version}`, { key: reader });
    expect(fromHead.json).toMatchObject({ changes: [], checksum: head.checksum });
  });
});

describe('lookup', () => {
  it('should look up one input, covering a URL by its listed domain', async () => {
    await list2('echo-list-demo.net');
    const res = await call('GET', `/v1/lookup?q=${encodeURIComponent('https://pay.echo-list-demo.net/checkout')}`, { key: reader });
    expect(res.json).toEqual({
      input: 'https://pay.echo-list-demo.net/checkout',
      indicator: { kind: 'domain', value: 'echo-list-demo.net' },
      error: null,
      status: 'listed',
      reasons: ['nudify_site'],
      orgCount: 2,
      matched: null,
    });
    const url = await call('GET', `/v1/lookup?q=${encodeURIComponent('url:https://echo-list-demo.net/a')}`, { key: reader });
    expect(url.json).toMatchObject({ indicator: { kind: 'url' }, status: 'listed', matched: { kind: 'domain', value: 'echo-list-demo.net' } });
  });

  it('should find a listed host from its bare name, a subdomain or a URL on it, and say which indicator matched', async () => {
    await list2('host:cdn.mirror-list-demo.net');
    await list2('url:https://pages-list-demo.net/pay/now');
    const res = await call('POST', '/v1/lookup', {
      key: reader,
      body: {
        inputs: [
          'cdn.mirror-list-demo.net',
          'https://cdn.mirror-list-demo.net/any/page',
          'mirror-list-demo.net',
          'https://pages-list-demo.net/pay/now',
          'pages-list-demo.net',
        ],
      },
    });
    expect(res.json.results.map((r) => [r.status, r.matched ? `${r.matched.kind}:${r.matched.value}` : null])).toEqual([
      ['listed', 'host:cdn.mirror-list-demo.net'],
      ['listed', 'host:cdn.mirror-list-demo.net'],
      // A host's listing does not cover its whole domain, nor a page's listing its site.
      ['unknown', null],
      ['listed', 'url:https://pages-list-demo.net/pay/now'],
      ['unknown', null],
    ]);
  });

  it('should find an Android app listed by its package name from its Play link, and the other way round', async () => {
    await list2('bundle:net.lookup_demo.app');
    await list2('https://play.google.com/store/apps/details?id=net.lookup_demo2.app');
    const res = await call('POST', '/v1/lookup', {
      key: reader,
      body: { inputs: ['https://play.google.com/store/apps/details?id=net.lookup_demo.app', 'net.lookup_demo2.app'] },
    });
    expect(res.json.results.map((r) => [r.status, r.matched ? `${r.matched.kind}:${r.matched.value}` : null])).toEqual([
      ['listed', 'app:bundle:net.lookup_demo.app'],
      ['listed', 'app:android:net.lookup_demo2.app'],
    ]);
  });

  it('should look up 10,000 inputs in one request, each with its own verdict', async () => {
    await list2('bulk-lookup-list-demo.net');
    const inputs = Array.from({ length: 10_000 }, (_, i) => (i === 0 ? 'bulk-lookup-list-demo.net' : i === 1 ? 'google.com' : `unknown-${i}-demo.net`));
    const res = await call('POST', '/v1/lookup', { key: reader, body: { inputs } });
    expect(res.status).toBe(200);
    expect(res.json.results).toHaveLength(10_000);
    expect(res.json.results[0]).toMatchObject({ status: 'listed', orgCount: 2 });
    expect(res.json.results[1]).toMatchObject({ indicator: null, error: { code: 'shared_platform' }, status: 'unknown' });
    expect(res.json.results[9_999]).toMatchObject({ indicator: { value: 'unknown-9999-demo.net' }, status: 'unknown' });
  });

  it('should answer a batch holding malformed escapes line by line, never with a 500', async () => {
    const res = await call('POST', '/v1/lookup', {
      key: reader,
      body: { inputs: ['t.me/%', 'x.com/%ff', 'https://instagram.com/%E0', 'fine-lookup-list-demo.net'] },
    });
    expect(res.status).toBe(200);
    expect(res.json.results.at(-1)).toMatchObject({ indicator: { kind: 'domain', value: 'fine-lookup-list-demo.net' } });
    const flagged = await flag(orgs[0]!.keys.analyst, { target: 't.me/%', reason: 'other' });
    expect(flagged.status).toBeLessThan(500);
  });

  it('should answer an input too long to read with its own error, and still answer the rest of the batch', async () => {
    const long = `https://long-lookup-demo.net/${'p'.repeat(3000)}`;
    const res = await call('POST', '/v1/lookup', { key: reader, body: { inputs: [long, 'unknown-long-lookup-demo.net'] } });
    expect(res.status).toBe(200);
    const [first, second] = res.json.results;
    expect(first).toMatchObject({ indicator: null, error: { code: 'input_too_long' }, status: 'unknown' });
    expect(first!.input).toBe(`${long.slice(0, 2048)}…`);
    expect(second).toMatchObject({ indicator: { kind: 'domain', value: 'unknown-long-lookup-demo.net' }, status: 'unknown', error: null });
  });

  it('should refuse more than 10,000 inputs, and readers without a key', async () => {
    const over = await call('POST', '/v1/lookup', { key: reader, body: { inputs: Array.from({ length: 10_001 }, () => 'a-demo.net') } });
    expect([over.status, over.json.error?.code]).toEqual([400, 'invalid_request']);
    expect((await call('GET', '/v1/lookup?q=a-demo.net')).status).toBe(401);
    expect((await call('GET', '/v1/list')).status).toBe(401);
  });
});
