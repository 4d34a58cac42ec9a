import { hex } from '@scure/base';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bodyStatement,
  type ChangesResponse,
  expressionHash,
  listStatement,
  parseSignatureHeader,
  prefixOf,
  prefixSetChecksum,
  prefixSetStatement,
  PrefixSet,
  riceDecode,
  verifyStatement,
  type PublicKeys,
  FORMAT_NAMES,
  verifyFile,
} from '../../shared';
import { LocalList, PrefixCopy, syncLocalList, type GetJson } from '../../shared/client';
import { sign } from '../../worker/src/signing';
import { readListAtVersion } from '../../worker/src/snapshots/read-at-version';
import answers from '../fixtures/known-answers/wire-formats.json';
import testKey from '../fixtures/known-answers/test-signing-key.json';
import { call, flag, newOrg, operatorOrg } from './helpers';

let orgs: Awaited<ReturnType<typeof newOrg>>[];
let reader: string;
let reviewer: string;
let keys: PublicKeys;

const list2 = async (target: string, reason = 'nudify_site') => {
  for (const org of orgs) await flag(org.keys.analyst, { target, reason });
};
const review = (action: string, target: string) => call('POST', `/v1/indicators/${action}`, { key: reviewer, body: { target, reason: 'reviewed in test' } });
/** What beforeAll lists; format tests look at these alone, so tests that add or remove entries of their own never disturb them. */
const SEEDS = new Set([
  'domain:alpha-dist-demo.net',
  'host:203.0.113.7',
  'merchant:stripe:acct_1DistDemo0000001',
  'handle:telegram:dist_demo_bot',
  "url:https://files-dist-demo.net/it's/pay",
]);
const seeded = (e: { kind: string; value: string }) => SEEDS.has(`${e.kind}:${e.value}`);
const SEED_NAMES = ['alpha-dist-demo.net', '203.0.113.7'];
const seededLine = (line: string) => SEED_NAMES.some((name) => line === name || line.endsWith(` ${name}`) || line.endsWith(`.${name}`));
const sha256 = async (text: string) => hex.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));

beforeAll(async () => {
  orgs = [await newOrg('analyst'), await newOrg('analyst')];
  const other = await operatorOrg('reader', 'reviewer');
  reader = other.keys.reader;
  reviewer = other.keys.reviewer;
  await list2('alpha-dist-demo.net');
  await list2('203.0.113.7');
  await list2('acct_1DistDemo0000001', 'payment_front');
  await list2('https://t.me/dist_demo_bot', 'nudify_app');
  await list2("url:https://files-dist-demo.net/it's/pay", 'payment_front');
  keys = (await call('GET', '/.well-known/flagline-keys.json')).json;
});

describe('signed lists', () => {
  it('should publish the public key as a JWKS', () => {
    expect(keys.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: expect.any(String) })]);
  });

  it('should sign the list state and the exact bytes; a tampered copy fails verification', async () => {
    await list2('signed-bytes-dist-demo.net');
    // The first download of a version streams as it is built: signed list state, and no body hash yet.
    const first = await call('GET', '/v1/list', { key: reader });
    expect([first.headers.get('flagline-signature'), first.headers.get('flagline-body-sha256')]).toEqual([expect.any(String), null]);
    const res = await call('GET', '/v1/list', { key: reader });
    expect(res.text).toBe(first.text);
    expect(await verifyStatement(keys, res.json.signature, listStatement(res.json.version, res.json.checksum))).toBe(true);
    expect((await LocalList.fromSnapshot(res.json)).checksum()).toBe(res.json.checksum);
    expect(await verifyStatement(keys, res.json.signature, listStatement(res.json.version + 1, res.json.checksum))).toBe(false);

    const body = parseSignatureHeader(res.headers.get('flagline-body-signature'))!;
    const digest = await sha256(res.text);
    expect(res.headers.get('flagline-body-sha256')).toBe(digest);
    expect(await verifyStatement(keys, body, bodyStatement('json', res.json.version, digest))).toBe(true);
    expect(await verifyStatement(keys, body, bodyStatement('json', res.json.version, await sha256(res.text.replace('alpha', 'alphb'))))).toBe(false);
  });

  it.each(FORMAT_NAMES)('should make the first download of a new version as %s verifiable with the file alone', async (format) => {
    await list2(`first-${format}-dist-demo.net`);
    const first = await call('GET', `/v1/list?format=${format}`, { key: reader });
    expect(first.headers.get('flagline-body-signature')).toBeNull();
    const bytes = new TextEncoder().encode(first.text);
    const version = Number(first.headers.get('x-list-version'));
    expect(await verifyFile(bytes, keys)).toMatchObject({ ok: true, format, version });
    // The copy from the cache is the same file, and the header signature covers it whole.
    const again = await call('GET', `/v1/list?format=${format}`, { key: reader });
    expect(again.text).toBe(first.text);
    expect(again.headers.get('flagline-body-sha256')).toBe(await sha256(first.text));
    // A forged entry anywhere fails.
    const forged = first.text.replace(`first-${format}-dist-demo.net`, `first-${format}-dist-demo.org`);
    expect(await verifyFile(new TextEncoder().encode(forged), keys)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('should sign each statement exactly as the known-answer file says, under its fixed test key', async () => {
    const fixedEnv = { ...env, SIGNING_KEY: JSON.stringify(testKey.jwk) };
    for (const expected of Object.values(answers.statements)) {
      expect(await sign(fixedEnv, expected.statement)).toEqual({ keyId: expected.keyId, alg: 'Ed25519', value: expected.value });
    }
  });

  it('should answer 503 signing_unavailable for a malformed SIGNING_KEY, every time, and sign once it is mended', async () => {
    for (const broken of ['not json', '{"kty":"OKP","crv":"Ed25519"}', JSON.stringify({ ...testKey.jwk, d: '!!' })]) {
      for (let attempt = 0; attempt < 2; attempt++) {
        await expect(sign({ ...env, SIGNING_KEY: broken }, 'x')).rejects.toMatchObject({ status: 503, code: 'signing_unavailable' });
      }
    }
    await expect(sign({ ...env, SIGNING_KEY: JSON.stringify(testKey.jwk) }, 'x')).resolves.toMatchObject({ alg: 'Ed25519' });
  });

  it('should sign every delta page over the list it leads to', async () => {
    const page = (await call('GET', '/v1/changes?since=0&limit=2', { key: reader })).json;
    expect(await verifyStatement(keys, page.signature, listStatement(page.next, page.checksum))).toBe(true);
  });
});

describe('formats', () => {
  it('should stream NDJSON: a signed header line, then one entry per line', async () => {
    const res = await call('GET', '/v1/list?format=ndjson', { key: reader });
    const [header, ...lines] = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(header).toMatchObject({ version: expect.any(Number), checksum: expect.any(String), signature: expect.any(Object) });
    expect(lines.filter(seeded).map((l) => `${l.kind}:${l.value}`)).toEqual([
      'domain:alpha-dist-demo.net',
      'handle:telegram:dist_demo_bot',
      'host:203.0.113.7',
      'merchant:stripe:acct_1DistDemo0000001',
      "url:https://files-dist-demo.net/it's/pay",
    ]);
  });

  it('should keep hosts and txt to the names they can hold', async () => {
    const hosts = await call('GET', '/v1/list?format=hosts', { key: reader });
    const hostLines = hosts.text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(hostLines.filter(seededLine)).toEqual([
      '0.0.0.0 alpha-dist-demo.net',
      ':: alpha-dist-demo.net',
      '0.0.0.0 www.alpha-dist-demo.net',
      ':: www.alpha-dist-demo.net',
    ]);
    // Every name blocked for IPv4 and IPv6 alike; IP hosts have no place in a hosts file.
    expect(hostLines.filter((l) => l.startsWith('0.0.0.0 ')).map((l) => l.slice(8))).toEqual(
      hostLines.filter((l) => l.startsWith(':: ')).map((l) => l.slice(3)),
    );
    expect(hostLines.every((l) => /^(0\.0\.0\.0|::) /.test(l) && !/ \d+\.\d+\.\d+\.\d+$/.test(l))).toBe(true);
    const version = hosts.headers.get('x-list-version');
    expect(hosts.text).toMatch(
      new RegExp(
        `^# Flagline blocklist in hosts format, version ${version}, .*\n# Verify: \`flagline verify FILE\`. The last "flagline-file-v1" line signs every byte before it`,
      ),
    );
    const txt = await call('GET', '/v1/list?format=txt', { key: reader });
    expect(
      txt.text
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .filter(seededLine),
    ).toEqual(['alpha-dist-demo.net', '203.0.113.7']);
    const wrong = await call('GET', '/v1/list?format=txt&kind=merchant', { key: reader });
    expect([wrong.status, wrong.json.error?.code]).toEqual([400, 'invalid_request']);
  });

  it('should write a response policy zone with NXDOMAIN rules for domains, their subdomains and IP hosts', async () => {
    const rpz = (await call('GET', '/v1/list?format=rpz', { key: reader })).text;
    expect(rpz).toContain('$TTL 300');
    const version = Number((await call('GET', '/v1/list?format=rpz', { key: reader })).headers.get('x-list-version'));
    expect(rpz).toContain(`@ IN SOA localhost. hostmaster.localhost. ( ${version} `);
    expect(rpz).toContain('\nalpha-dist-demo.net CNAME .\n*.alpha-dist-demo.net CNAME .\n');
    expect(rpz).toContain('\n32.7.113.0.203.rpz-ip CNAME .\n');
  });

  it('should give a STIX 2.1 bundle with an indicator and pattern per entry', async () => {
    const res = await call('GET', '/v1/list?format=stix', { key: reader });
    expect(res.headers.get('content-type')).toBe('application/stix+json;version=2.1');
    const bundle = res.json;
    expect(bundle).toMatchObject({ type: 'bundle', id: expect.stringMatching(/^bundle--[0-9a-f-]{36}$/) });
    const patterns = bundle.objects
      .filter((o) => o.type === 'indicator' && seeded({ kind: String(o.name).split(' ')[0]!, value: String(o.x_flagline_value) }))
      .map((o) => o.pattern);
    expect(patterns).toEqual([
      "[domain-name:value = 'alpha-dist-demo.net']",
      "[user-account:account_type = 'telegram' AND user-account:account_login = 'dist_demo_bot']",
      "[ipv4-addr:value = '203.0.113.7/32']",
      "[x-flagline-merchant:value = 'stripe:acct_1DistDemo0000001']",
      "[url:value = 'https://files-dist-demo.net/it\\'s/pay']",
    ]);
  });

  it('should filter by reason', async () => {
    const res = await call('GET', '/v1/list?format=json&reason=payment_front', { key: reader });
    expect(res.json.entries.every((e) => e.reasons.includes('payment_front'))).toBe(true);
    expect(res.json.entries.filter(seeded).map((e) => e.kind)).toEqual(['merchant', 'url']);
  });

  it('should compress for clients that accept gzip', async () => {
    const res = await call('GET', '/v1/list?format=csv', { key: reader, headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
  });

  it('should answer a HEAD on a new version with the list signature at once, building nothing, and sign the body once a GET has', async () => {
    await flag((await newOrg('analyst')).keys.analyst, { target: 'head-first-demo.net', reason: 'nudify_site' });
    await flag((await newOrg('analyst')).keys.analyst, { target: 'head-first-demo.net', reason: 'nudify_site' });
    const head = await call('HEAD', '/v1/list?format=txt', { key: reader });
    expect([head.status, head.text, head.headers.get('flagline-body-sha256')]).toEqual([200, '', null]);
    expect(head.headers.get('flagline-signature')).toMatch(/^keyid=/);
    const version = head.headers.get('x-list-version');
    const digests = await env.DB.prepare('SELECT COUNT(*) AS n FROM snapshot_digests WHERE version = ?1').bind(Number(version)).first<{ n: number }>();
    expect(digests!.n).toBe(0);
    const body = await call('GET', '/v1/list?format=txt', { key: reader });
    expect(body.text).toContain('head-first-demo.net');
    const after = await call('HEAD', '/v1/list?format=txt', { key: reader });
    expect(after.headers.get('flagline-body-sha256')).toBe(await sha256(body.text));
  });

  it('should answer 304 while the version is unchanged', async () => {
    const first = await call('GET', '/v1/list?format=rpz', { key: reader });
    const again = await call('GET', '/v1/list?format=rpz', { key: reader, headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });
});

describe('snapshots at an exact version', () => {
  it('should rebuild rows changed after the version from the change log, so the snapshot is the list at that version', async () => {
    await list2('snap-gone-dist-demo.net');
    await list2('acct_1DistSnap00000001', 'payment_front');
    const before = (await call('GET', '/v1/list', { key: reader })).json;
    await review('delist', 'snap-gone-dist-demo.net');
    await review('dispute', 'acct_1DistSnap00000001');
    await list2('snap-later-dist-demo.net');
    const pages = [];
    for await (const page of readListAtVersion(env.DB, before.version)) pages.push(...page);
    expect(pages.map(({ kind, value, status, reasons, orgCount }) => ({ kind, value, status, reasons, orgCount }))).toEqual(before.entries);
  });
});

describe('prefix set and full hashes', () => {
  it('should publish a signed Rice-coded set of 4-byte prefixes of every listed expression', async () => {
    const set = (await call('GET', '/v1/prefixes', { key: reader })).json;
    const decoded = riceDecode({ ...set, encodedData: Uint8Array.from(atob(set.encodedData), (c) => c.charCodeAt(0)) });
    expect(prefixSetChecksum(decoded)).toBe(set.checksum);
    // Safe Browsing v5 counts the gaps after firstValue, not the values.
    expect([set.entriesCount, set.firstValue]).toEqual([set.entryCount - 1, decoded[0]]);
    expect(await verifyStatement(keys, set.signature, prefixSetStatement(set.version, set.checksum))).toBe(true);
    const listed = (await call('GET', '/v1/list', { key: reader })).json.entries;
    expect(decoded.length).toBe(listed.length);
    const prefixes = new PrefixSet(decoded);
    for (const e of listed) expect(prefixes.has(prefixOf(expressionHash(`${e.kind}:${e.value}`)))).toBe(true);
    expect(prefixes.has(prefixOf(expressionHash('domain:not-listed-demo.net')))).toBe(false);
  });

  it('should return the full hashes behind a prefix, so a hit is confirmed without naming the page', async () => {
    await list2('hashed-dist-demo.net');
    const hash = expressionHash('domain:hashed-dist-demo.net');
    const res = await call('POST', '/v1/hashes', { key: reader, body: { prefixes: [hex.encode(hash.slice(0, 4))] } });
    expect(res.json.matches).toEqual([expect.objectContaining({ hash: hex.encode(hash), kind: 'domain', value: 'hashed-dist-demo.net', status: 'listed' })]);
    expect((await call('POST', '/v1/hashes', { key: reader, body: { prefixes: ['xyz'] } })).status).toBe(400);
  });
});

describe('TAXII 2.1', () => {
  const TAXII = 'application/taxii+json;version=2.1';
  const COLLECTION = '/taxii2/api/collections/6a7f2b1c-3d4e-4f50-8a61-9b7c8d9e0f12';
  const basic = () => ({ authorization: `Basic ${btoa(`reader:${reader}`)}` });
  const get = (path: string, headers: Record<string, string> = {}) => call('GET', path, { headers: { ...basic(), ...headers } });
  /** Every page of a paged TAXII answer, following `next`. */
  const all = async (path: string) => {
    const pages = [];
    let next: string | undefined;
    do {
      const res = await get(`${path}${path.includes('?') ? '&' : '?'}limit=2${next ? `&next=${next}` : ''}`);
      pages.push(res.json);
      next = res.json.more ? res.json.next : undefined;
    } while (next);
    return pages;
  };

  it('should serve discovery, the API root and the one collection, with Basic auth as TAXII clients send it', async () => {
    const discovery = await get('/taxii2/');
    expect(discovery.headers.get('content-type')).toBe(TAXII);
    expect(discovery.json.api_roots).toEqual(['/taxii2/api/']);
    expect((await get('/taxii2/api/')).json.versions).toEqual([TAXII]);
    expect((await get('/taxii2/api/collections/')).json.collections).toEqual([expect.objectContaining({ can_read: true, can_write: false })]);
    expect((await get(`${COLLECTION}/`)).json).toMatchObject({ can_read: true });
  });

  it('should give the latest version of each object by default, every version on match[version]=all, and honour limit exactly', async () => {
    await list2('taxii-versions-dist-demo.net');
    await review('dispute', 'taxii-versions-dist-demo.net');
    const latest = (await all(`${COLLECTION}/objects/`)).flatMap((p) => p.objects ?? []);
    const ids = latest.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(latest[0]?.type).toBe('identity');
    const versions = (await all(`${COLLECTION}/objects/?match[version]=all`)).flatMap((p) => p.objects ?? []);
    const disputed = versions.filter((o) => o.x_flagline_value === 'taxii-versions-dist-demo.net');
    expect(disputed.map((o) => o.x_flagline_status)).toEqual(['listed', 'disputed']);
    expect(latest.filter((o) => o.x_flagline_value === 'taxii-versions-dist-demo.net').map((o) => o.x_flagline_status)).toEqual(['disputed']);
    const first = await get(`${COLLECTION}/objects/?match[version]=first&match[id]=${disputed[0]!.id}`);
    expect(first.json.objects?.map((o) => o.x_flagline_status)).toEqual(['listed']);
    const exact = await get(`${COLLECTION}/objects/?match[version]=${encodeURIComponent(String(disputed[1]!.modified))}&match[id]=${disputed[0]!.id}`);
    expect(exact.json.objects?.map((o) => o.x_flagline_status)).toEqual(['disputed']);
    for (const limit of [1, 2, 5]) {
      const page = await get(`${COLLECTION}/objects/?limit=${limit}`);
      expect(page.json.objects).toHaveLength(limit);
      expect(page.json).toMatchObject({ more: true, next: expect.any(String) });
    }
  });

  it('should filter by match[id], match[type] and match[spec_version], and mark removals revoked', async () => {
    await list2('taxii-gone-dist-demo.net');
    await review('delist', 'taxii-gone-dist-demo.net');
    const objects = (await all(`${COLLECTION}/objects/`)).flatMap((p) => p.objects ?? []);
    const gone = objects.find((o) => o.x_flagline_value === 'taxii-gone-dist-demo.net')!;
    expect(gone.revoked).toBe(true);
    expect(objects.filter((o) => o.revoked && seeded({ kind: 'domain', value: String(o.x_flagline_value) }))).toEqual([]);
    const byId = await get(`${COLLECTION}/objects/?match[id]=${gone.id}`);
    expect(byId.json.objects?.map((o) => o.id)).toEqual([gone.id]);
    const identities = await get(`${COLLECTION}/objects/?match[type]=identity`);
    expect(identities.json.objects?.map((o) => o.type)).toEqual(['identity']);
    const indicators = (await all(`${COLLECTION}/objects/?match[type]=indicator`)).flatMap((p) => p.objects ?? []);
    expect(indicators.length).toBe(objects.length - 1);
    expect((await get(`${COLLECTION}/objects/?match[spec_version]=2.0`)).json).toEqual({ more: false, objects: [] });
    expect((await get(`${COLLECTION}/objects/?added_after=2999-01-01T00:00:00Z`)).json).toEqual({ more: false, objects: [] });
  });

  it('should get one object and list its versions', async () => {
    await list2('taxii-one-dist-demo.net');
    await review('dispute', 'taxii-one-dist-demo.net');
    const objects = (await all(`${COLLECTION}/objects/?match[type]=indicator`)).flatMap((p) => p.objects ?? []);
    const one = objects.find((o) => o.x_flagline_value === 'taxii-one-dist-demo.net')!;
    const got = await get(`${COLLECTION}/objects/${one.id}/`);
    expect(got.json.objects).toEqual([one]);
    const versions = await get(`${COLLECTION}/objects/${one.id}/versions/`);
    expect(versions.headers.get('content-type')).toBe(TAXII);
    expect(versions.json.versions!).toHaveLength(2);
    expect(versions.json.versions!.at(-1)).toBe(one.modified);
    expect((await get(`${COLLECTION}/objects/indicator--00000000-0000-5000-8000-000000000000/`)).status).toBe(404);
  });

  it('should list the manifest of the latest versions', async () => {
    const manifest = (await all(`${COLLECTION}/manifest/`)).flatMap((p) => p.objects ?? []);
    expect(manifest[0]).toMatchObject({ id: expect.stringMatching(/^identity--/), media_type: 'application/stix+json;version=2.1' });
    expect(manifest.every((m) => m.version && m.media_type === 'application/stix+json;version=2.1')).toBe(true);
    expect(new Set(manifest.map((m) => m.id)).size).toBe(manifest.length);
  });

  it('should answer errors as TAXII error messages: 401 asking for Basic, 404, 400, 406 and 415', async () => {
    const unauthorized = await call('GET', '/taxii2/');
    expect([unauthorized.status, unauthorized.headers.get('content-type'), unauthorized.headers.get('www-authenticate')]).toEqual([
      401,
      TAXII,
      expect.stringMatching(/^Basic /),
    ]);
    expect(unauthorized.json).toMatchObject({ title: expect.any(String), description: expect.any(String), http_status: '401' });
    const missing = await get('/taxii2/api/collections/nope/objects/');
    expect([missing.status, missing.headers.get('content-type'), missing.json.http_status]).toEqual([404, TAXII, '404']);
    expect((await get(`${COLLECTION}/objects/?limit=0`)).status).toBe(400);
    expect((await get(`${COLLECTION}/objects/?added_after=yesterday`)).status).toBe(400);
    expect((await get(`${COLLECTION}/objects/`, { accept: 'text/html' })).status).toBe(406);
    // TAXII 2.0 is not what this server speaks; 2.1, or no version, or any application type is.
    expect((await get(`${COLLECTION}/objects/`, { accept: 'application/taxii+json;version=2.0' })).status).toBe(406);
    for (const accept of ['application/taxii+json', 'application/taxii+json;version=2.0, application/taxii+json;version=2.1', 'application/*']) {
      expect([accept, (await get(`${COLLECTION}/objects/`, { accept })).status]).toEqual([accept, 200]);
    }
    // A limit past the largest page is served as the largest page (the spec lets a server send fewer), not refused.
    expect((await get(`${COLLECTION}/objects/?limit=20000`)).status).toBe(200);
    expect((await get(`${COLLECTION}/objects/`, { accept: TAXII })).status).toBe(200);
    const post = await call('POST', `${COLLECTION}/objects/`, { headers: { ...basic(), 'content-type': 'application/json' }, body: '{}' });
    expect([post.status, post.headers.get('content-type')]).toEqual([415, TAXII]);
    const write = await call('POST', `${COLLECTION}/objects/`, { headers: { ...basic(), 'content-type': TAXII }, body: '{"objects":[]}' });
    expect(write.status).toBe(403);
  });
});

describe('the shared sync engine against this worker', () => {
  const getJson =
    (tamper?: (page: ChangesResponse) => void): GetJson =>
    async (path) => {
      const res = await call('GET', path, { key: reader });
      if (tamper && path.startsWith('/v1/changes')) tamper(res.json as unknown as ChangesResponse);
      return { status: res.status, body: res.json };
    };

  it('should sync a copy that matches the server exactly', async () => {
    const { list } = await syncLocalList({ getJson: getJson(), keys, list: null, save: async () => {} });
    const server = (await call('GET', '/v1/list', { key: reader })).json;
    expect(list.checksum()).toBe(server.checksum);
    expect(list.version).toBe(server.version);
  });

  it('should refuse a delta page whose signed checksum was altered', async () => {
    const stale = await LocalList.fromSnapshot({ version: 0, entries: [] });
    await expect(syncLocalList({ getJson: getJson((b) => (b.checksum = '0'.repeat(64))), keys, list: stale, save: async () => {} })).rejects.toMatchObject({
      code: 'bad_signature',
    });
  });

  it('should refuse changes altered in transit, since the page signs its changes too', async () => {
    const stale = await LocalList.fromSnapshot({ version: 0, entries: [] });
    const tampered = getJson((page) => {
      if (page.changes[0]) page.changes[0].value = 'evil-demo.net';
    });
    await expect(syncLocalList({ getJson: tampered, keys, list: stale, save: async () => {} })).rejects.toMatchObject({ code: 'bad_signature' });
  });

  it('should keep a prefix copy that answers exactly, from the signed set plus signed changes', async () => {
    await list2('later-dist-demo.net');
    const set = (await call('GET', '/v1/prefixes', { key: reader })).json;
    const copy = await PrefixCopy.fromSet(set, keys);
    await list2('after-set-dist-demo.net');
    await review('delist', 'later-dist-demo.net');
    const page = (await call('GET', `/v1/changes?since=${copy.version}`, { key: reader })).json;
    await copy.applyPage(page, keys);
    expect(copy.check('domain:after-set-dist-demo.net')).toMatchObject({ entry: { status: 'listed' } });
    expect(copy.check('domain:later-dist-demo.net')).toBeNull();
    expect(copy.check('domain:acct-nothing-demo.net')).toBeNull();
    expect(copy.check('handle:telegram:dist_demo_bot')).toEqual({ prefix: hex.encode(expressionHash('handle:telegram:dist_demo_bot').slice(0, 4)) });
    const forged = { ...page, changes: [...page.changes, { ...page.changes[0]!, value: 'forged-demo.net' }] };
    await expect(copy.applyPage(forged, keys)).rejects.toMatchObject({ code: 'bad_signature' });
  });
});

describe('snapshots where the Cache API stores nothing (as on workers.dev)', () => {
  /** Runs `check` with a Cache API that keeps nothing, so every request builds the snapshot again from D1. */
  const withoutCache = async (check: () => Promise<void>) => {
    const put = caches.default.put;
    caches.default.put = async () => {
      throw new Error('cache unavailable');
    };
    try {
      await check();
    } finally {
      caches.default.put = put;
    }
  };

  it('should still serve the snapshot, streamed again from D1 with a body signature that holds', async () => {
    await list2('uncached-dist-demo.net');
    await withoutCache(async () => {
      const first = await call('GET', '/v1/list?format=stix', { key: reader });
      expect(first.headers.get('flagline-body-sha256')).toBeNull();
      const res = await call('GET', '/v1/list?format=stix', { key: reader });
      expect(res.text).toBe(first.text);
      expect(res.status).toBe(200);
      const digest = await sha256(res.text);
      expect(res.headers.get('flagline-body-sha256')).toBe(digest);
      const version = Number(res.headers.get('x-list-version'));
      expect(await verifyStatement(keys, parseSignatureHeader(res.headers.get('flagline-body-signature'))!, bodyStatement('stix', version, digest))).toBe(true);
    });
  });

  it('should give the same bytes, ETag and body signature for a version however often it is rebuilt', async () => {
    await list2('stable-bytes-dist-demo.net');
    await withoutCache(async () => {
      for (const format of ['json', 'txt', 'rpz', 'stix']) {
        const built = await call('GET', `/v1/list?format=${format}`, { key: reader });
        const first = await call('GET', `/v1/list?format=${format}`, { key: reader });
        await new Promise((r) => setTimeout(r, 5));
        const again = await call('GET', `/v1/list?format=${format}`, { key: reader });
        expect([first.text, again.text]).toEqual([built.text, built.text]);
        expect(await sha256(again.text)).toBe(again.headers.get('flagline-body-sha256'));
        for (const header of ['etag', 'flagline-body-sha256', 'flagline-body-signature']) expect(again.headers.get(header)).toBe(first.headers.get(header));
      }
    });
  });
});
