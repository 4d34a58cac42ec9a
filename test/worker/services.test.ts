import { beforeAll, describe, expect, it } from 'vitest';
import { stixIndicatorId, type ReviewQueue, type Signal } from '../../shared';
import { COLLECTION_ID } from '../../worker/src/routes/taxii';
import { call, flag, newOrg, operatorOrg } from './helpers';

// A service groups one nudify brand's indicators, so partners cut off the brand and reviewers decide on it at once.
let a: Awaited<ReturnType<typeof newOrg>>;
let b: Awaited<ReturnType<typeof newOrg>>;
let reviewer: string;
let reader: string;
let admin: string;

const stripe = (id: string): Signal => ({ type: 'stripe_account', value: id });
const telegram = (name: string): Signal => ({ type: 'handle', value: `https://t.me/${name}` });
const flagWith = async (key: string, target: string, signals: Signal[] = [], reason = 'nudify_site') => {
  const answer = await flag(key, { target, reason, ...(signals.length ? { evidence: { signals } } : {}) });
  expect([target, answer.status]).toEqual([target, 201]);
  return answer.json.results[0]!;
};
/** Both member organizations flag it: listed by consensus (the threshold here is 2). */
const listBoth = async (target: string, signals: Signal[] = []) => {
  await flagWith(a.keys.analyst, target, signals);
  return flagWith(b.keys.analyst, target, signals);
};
const serviceOf = async (input: string) => (await call('POST', '/v1/lookup', { key: reader, body: { inputs: [input] } })).json.results[0]!;
/** What a reviewer sees of a service before deciding on all of it: every member, and the `seen` to send back. */
const reviewerView = async (id: string) => (await call('GET', `/v1/services/${id}`, { key: reviewer })).json;

beforeAll(async () => {
  [a, b] = await Promise.all([newOrg('analyst'), newOrg('analyst')]);
  ({ reviewer, reader, admin } = (await operatorOrg('reviewer', 'reader', 'admin')).keys);
});

describe('a flag joins the service its evidence points to', () => {
  it('should propose a service when the evidence shows a merchant id no service holds, and link the same organization’s next flag sharing it', async () => {
    const first = await flagWith(a.keys.analyst, 'https://brand-one-demo.net/pricing', [stripe('acct_1BrandOneDemo0001')]);
    expect(first.service).toMatchObject({ match: 'proposed', name: 'brand-one-demo.net', via: [] });
    const mirror = await flagWith(a.keys.analyst, 'mirror-one-demo.net', [stripe('acct_1BrandOneDemo0001')]);
    expect(mirror.service).toEqual({ id: first.service!.id, name: 'brand-one-demo.net', match: 'linked', via: ['merchant:stripe:acct_1BrandOneDemo0001'] });
    // The merchant id flagged on its own is one of the service's identifiers.
    const merchant = await flagWith(a.keys.analyst, 'acct_1BrandOneDemo0001', [], 'payment_front');
    expect(merchant.service).toMatchObject({ id: first.service!.id, match: 'linked' });
    // Another organization's flag is not bound by that one organization's claim: it proposes on its own.
    const other = await flagWith(b.keys.analyst, 'elsewhere-one-demo.net', [stripe('acct_1BrandOneDemo0001')]);
    expect(other.service).toMatchObject({ match: 'proposed', name: 'elsewhere-one-demo.net' });
    expect(other.service!.id).not.toBe(first.service!.id);
  });

  it('should link everyone’s flags once a second organization corroborates the claim', async () => {
    const first = await flagWith(a.keys.analyst, 'brand-corroborated-demo.net', [stripe('acct_1CorroboratedDemo1')]);
    // The second organization flags a member of the service with the same merchant: now two organizations claim it.
    expect((await flagWith(b.keys.analyst, 'brand-corroborated-demo.net', [stripe('acct_1CorroboratedDemo1')])).service).toMatchObject({ match: 'member' });
    const third = await newOrg('analyst');
    const mirror = await flagWith(third.keys.analyst, 'mirror-corroborated-demo.net', [stripe('acct_1CorroboratedDemo1')]);
    expect(mirror.service).toMatchObject({ id: first.service!.id, match: 'linked', via: ['merchant:stripe:acct_1CorroboratedDemo1'] });
  });

  it("should show a new mirror of a listed service first in the review queue, as that service's mirror", async () => {
    // A listed brand: both organizations flag its site with its merchant id (the claim is corroborated).
    await listBoth('brand-mirrored-demo.net', [stripe('acct_1MirroredBrand001')]);
    const listed = await serviceOf('brand-mirrored-demo.net');
    expect(listed.status).toBe('listed');
    // Ordinary reports with more organizations behind them than the mirror will have.
    const third = await newOrg('analyst');
    for (const key of [a.keys.analyst, third.keys.analyst]) await flagWith(key, 'url:https://plain-report-mirror-demo.net/pay');
    // One organization flags a new front domain whose checkout pays into the same merchant id.
    const mirror = await flagWith(a.keys.analyst, 'new-front-mirror-demo.net', [stripe('acct_1MirroredBrand001')]);
    expect(mirror).toMatchObject({ status: 'reported', service: { id: listed.service, match: 'linked' } });
    const queue = (await call('GET', '/v1/review/queue?limit=200', { key: reviewer })).json as unknown as ReviewQueue;
    const reports = queue.items.filter((i) => i.why === 'report' && i.openDisputes === 0);
    expect(reports[0]).toMatchObject({
      indicator: { kind: 'domain', value: 'new-front-mirror-demo.net', status: 'reported' },
      mirrorOf: { id: listed.service },
    });
    const plain = queue.items.find((i) => i.indicator.value === 'https://plain-report-mirror-demo.net/pay');
    expect(plain?.mirrorOf ?? null).toBeNull();
  });

  it('should say nothing of services for a flag with no identifiers, and found none for a lone merchant id', async () => {
    expect((await flagWith(a.keys.analyst, 'plain-demo.net')).service).toBeUndefined();
    expect((await flagWith(a.keys.analyst, 'acct_1LoneMerchant0001', [], 'payment_front')).service).toBeUndefined();
  });

  it('should bring an indicator flagged earlier into the service once evidence ties it', async () => {
    const bot = await flagWith(a.keys.analyst, 'https://t.me/brand_two_demo_bot', [], 'nudify_app');
    expect(bot.service).toBeUndefined();
    const site = await flagWith(b.keys.analyst, 'brand-two-demo.net', [telegram('brand_two_demo_bot'), stripe('acct_1BrandTwoDemo0001')]);
    expect(site.service).toMatchObject({ match: 'proposed', name: 'brand-two-demo.net' });
    // One organization's evidence does not move another's flag: the bot waits for a second organization's claim.
    const members = async () => (await reviewerView(site.service!.id)).members?.map((m) => m.value);
    expect(await members()).toEqual(['brand-two-demo.net']);
    // The other organization flags the site with the bot in its evidence too: the claim is corroborated.
    const again = await flagWith(a.keys.analyst, 'brand-two-demo.net', [telegram('brand_two_demo_bot')]);
    expect(again.service).toEqual({ id: site.service!.id, name: 'brand-two-demo.net', match: 'member', via: [] });
    expect(await members()).toEqual(['brand-two-demo.net', 'telegram:brand_two_demo_bot']);
    // Reported, the bot's service is for reviewers; partners' lookups name services only for what is listed.
    expect((await serviceOf('https://t.me/brand_two_demo_bot')).service).toBeUndefined();
    expect((await serviceOf('brand-two-demo.net')).service).toBe(site.service!.id);
  });
});

describe('the service in every list format, lookup and delta', () => {
  it('should carry the service id in JSON, NDJSON, CSV, STIX (a grouping), lookups and changes', async () => {
    const head = (await call('GET', '/v1/list', { key: reader })).json.version;
    const site = await listBoth('brand-three-demo.net', [stripe('acct_1BrandThreeDemo001')]);
    await listBoth('pay-three-demo.net', [stripe('acct_1BrandThreeDemo001')]);
    const id = site.service!.id;

    const list = (await call('GET', '/v1/list', { key: reader })).json;
    const mine = list.entries.filter((e) => e.service === id).map((e) => e.value);
    expect(mine).toEqual(['brand-three-demo.net', 'pay-three-demo.net']);
    expect(list.entries.find((e) => e.value === 'plain-demo.net')).toBeUndefined(); // reported: not on the list
    const ndjson = (await call('GET', '/v1/list?format=ndjson', { key: reader })).text.split('\n');
    expect(ndjson.filter((line) => line.includes(`"service":"${id}"`))).toHaveLength(2);
    const csv = (await call('GET', '/v1/list?format=csv', { key: reader })).text;
    expect(csv.split('\r\n')[0]).toBe('kind,value,status,reasons,org_count,service');
    expect(csv).toContain(`domain,brand-three-demo.net,listed,nudify_site,2,${id}\r\n`);

    const stix = (await call('GET', '/v1/list?format=stix', { key: reader })).json;
    const [site3, pay3] = [stixIndicatorId('domain', 'brand-three-demo.net'), stixIndicatorId('domain', 'pay-three-demo.net')];
    expect(stix.objects.filter((o) => o.x_flagline_service === id).map((o) => o.id)).toEqual([site3, pay3, expect.stringMatching(/^relationship--/)]);
    // Each further member is related to the service's first indicator in the file.
    expect(stix.objects.find((o) => o.type === 'relationship' && o.x_flagline_service === id)).toMatchObject({
      relationship_type: 'related-to',
      source_ref: pay3,
      target_ref: site3,
    });

    expect((await serviceOf('https://www.brand-three-demo.net/checkout')).service).toBe(id);
    const taxii = await call('GET', `/taxii2/api/collections/${COLLECTION_ID}/objects/?match[id]=${site3}`, {
      key: reader,
      headers: { accept: 'application/taxii+json;version=2.1' },
    });
    expect(taxii.json.objects).toEqual([expect.objectContaining({ id: site3, x_flagline_service: id })]);
    const changes = (await call('GET', `/v1/changes?since=${head}&limit=1000`, { key: reader })).json.changes;
    expect(changes.find((c) => c.value === 'brand-three-demo.net' && c.op === 'upsert')).toMatchObject({ status: 'listed', service: id });
  });
});

describe('GET /v1/services/{id}', () => {
  it('should answer a service with what is listed of it, to any key', async () => {
    const site = await listBoth('brand-four-demo.net', [stripe('acct_1BrandFourDemo0001')]);
    await flagWith(a.keys.analyst, 'reported-four-demo.net', [stripe('acct_1BrandFourDemo0001')]);
    const answer = await call('GET', `/v1/services/${site.service!.id}`, { key: reader });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ id: site.service!.id, name: 'brand-four-demo.net', state: 'proposed', truncated: false });
    expect(answer.json.entries).toEqual([
      { kind: 'domain', value: 'brand-four-demo.net', status: 'listed', reasons: ['nudify_site'], orgCount: 2, service: site.service!.id },
    ]);
    expect((await call('GET', `/v1/services/svc_${'0'.repeat(32)}`, { key: reader })).json.error?.code).toBe('not_found');
    expect((await call('GET', '/v1/services/brand-four', { key: reader })).json.error?.code).toBe('invalid_request');
    expect((await call('GET', `/v1/services/${site.service!.id}`)).status).toBe(401);
  });
});

describe("the operator's reviewers shape services", () => {
  it('should rename a service (reviewers only), with the reason audited', async () => {
    const site = await flagWith(a.keys.analyst, 'brand-five-demo.net', [stripe('acct_1BrandFiveDemo0001')]);
    const path = `/v1/services/${site.service!.id}/rename` as const;
    const body = { name: 'Brand Five', reason: 'The brand calls itself Brand Five on every mirror.' };
    expect((await call('POST', path, { key: a.keys.analyst, body })).status).toBe(403);
    const renamed = await call('POST', path, { key: reviewer, body });
    expect(renamed.json).toEqual({ service: { id: site.service!.id, name: 'Brand Five', state: 'named' }, moved: 0 });
    const audit = await call('GET', `/v1/admin/audit?subject=${site.service!.id}`, { key: admin });
    expect(audit.json.events.map((e) => e.action)).toEqual(['service.proposed', 'service.renamed']);
    expect(audit.json.events[1]).toMatchObject({ reason: body.reason, details: { from: 'brand-five-demo.net', to: 'Brand Five' } });
  });

  it('should merge services: their listings move (a change each), the old id answers as the new, and its identifiers link to it', async () => {
    const keep = await listBoth('brand-six-demo.net', [stripe('acct_1BrandSixDemo00001')]);
    const fold = await listBoth('other-six-demo.net', [stripe('acct_1BrandSixDemo00002')]);
    expect(fold.service!.id).not.toBe(keep.service!.id);
    const head = (await call('GET', '/v1/list', { key: reader })).json.version;
    const merged = await call('POST', `/v1/services/${keep.service!.id}/merge`, {
      key: reviewer,
      body: { from: [fold.service!.id], reason: 'Same operator: both checkouts settle to one bank account.' },
    });
    expect(merged.json).toMatchObject({ service: { id: keep.service!.id }, moved: 1 });
    const changes = (await call('GET', `/v1/changes?since=${head}`, { key: reader })).json.changes;
    expect(changes).toEqual([expect.objectContaining({ op: 'upsert', value: 'other-six-demo.net', status: 'listed', service: keep.service!.id })]);
    expect((await call('GET', `/v1/services/${fold.service!.id}`, { key: reader })).json).toMatchObject({
      id: keep.service!.id,
      entries: [expect.objectContaining({ value: 'brand-six-demo.net' }), expect.objectContaining({ value: 'other-six-demo.net' })],
    });
    const later = await flagWith(a.keys.analyst, 'third-six-demo.net', [stripe('acct_1BrandSixDemo00002')]);
    expect(later.service).toMatchObject({ id: keep.service!.id, match: 'linked' });
    // A merged service takes no more decisions of its own, and a service is not merged into itself.
    const again = await call('POST', `/v1/services/${fold.service!.id}/rename`, { key: reviewer, body: { name: 'Gone', reason: 'should fail' } });
    expect([again.status, again.json.error?.code]).toEqual([409, 'invalid_transition']);
    const self = await call('POST', `/v1/services/${keep.service!.id}/merge`, {
      key: reviewer,
      body: { from: [keep.service!.id], reason: 'Folding a service into itself.' },
    });
    expect(self.status).toBe(409);
  });

  it('should split indicators of another brand out to a new service, and refuse ones that are not its own', async () => {
    const site = await listBoth('brand-seven-demo.net', [stripe('acct_1BrandSevenDemo001')]);
    await listBoth('unrelated-seven-demo.net', [stripe('acct_1BrandSevenDemo001')]);
    const path = `/v1/services/${site.service!.id}/split` as const;
    const stray = await call('POST', path, { key: reviewer, body: { indicators: ['plain-demo.net'], name: 'Plain', reason: 'Not one of its own.' } });
    expect([stray.status, stray.json.error?.code]).toEqual([422, 'invalid_request']);
    const split = await call('POST', path, {
      key: reviewer,
      body: { indicators: ['unrelated-seven-demo.net'], name: 'Unrelated Seven', reason: 'A reseller that used the same payment link once.' },
    });
    expect(split.json).toMatchObject({ service: { name: 'Unrelated Seven', state: 'named' }, moved: 1 });
    expect((await serviceOf('unrelated-seven-demo.net')).service).toBe(split.json.service.id);
    expect((await call('GET', `/v1/services/${site.service!.id}`, { key: reader })).json.entries.map((e) => e.value)).toEqual(['brand-seven-demo.net']);
  });
});

describe('one decision for a whole service', () => {
  it('should delist its listings and reject its reports at once, each a tombstone partners see', async () => {
    const site = await listBoth('brand-eight-demo.net', [stripe('acct_1BrandEightDemo001')]);
    await listBoth('mirror-eight-demo.net', [stripe('acct_1BrandEightDemo001')]);
    await flagWith(a.keys.analyst, 'new-eight-demo.net', [stripe('acct_1BrandEightDemo001')]);
    const head = (await call('GET', '/v1/list', { key: reader })).json.version;
    const path = `/v1/services/${site.service!.id}/review` as const;
    const body = { action: 'delist', reason: 'The operator closed the service and the domains now park.', seen: (await reviewerView(site.service!.id)).seen };
    expect((await call('POST', path, { key: a.keys.analyst, body })).status).toBe(403);
    const decided = await call('POST', path, { key: reviewer, body });
    expect(decided.status).toBe(200);
    expect(decided.json.decided.map((d) => [d.indicator.value, d.from, d.indicator.status])).toEqual([
      ['brand-eight-demo.net', 'listed', 'delisted'],
      ['mirror-eight-demo.net', 'listed', 'delisted'],
      ['new-eight-demo.net', 'reported', 'delisted'],
    ]);
    const changes = (await call('GET', `/v1/changes?since=${head}`, { key: reader })).json.changes;
    expect(changes.map((c) => [c.op, c.value])).toEqual([
      ['remove', 'brand-eight-demo.net'],
      ['remove', 'mirror-eight-demo.net'],
    ]);
    // A proposed service with nothing left on the list is not there for partners; reviewers still see it whole.
    expect((await call('GET', `/v1/services/${site.service!.id}`, { key: reader })).status).toBe(404);
    expect((await reviewerView(site.service!.id)).members?.map((m) => m.status)).toEqual(['delisted', 'delisted', 'delisted']);
    // Confirming afterwards leaves the delisted as they are: each was decided.
    const confirm = await call('POST', path, {
      key: reviewer,
      body: { action: 'confirm', reason: 'Back online under the same merchant.', seen: (await reviewerView(site.service!.id)).seen },
    });
    expect([confirm.json.decided.length, confirm.json.skipped.length]).toEqual([0, 3]);
  });

  it('should confirm a service: its reports listed without waiting for consensus, its listings stood behind', async () => {
    const site = await listBoth('brand-nine-demo.net', [stripe('acct_1BrandNineDemo0001')]);
    await flagWith(a.keys.analyst, 'pay-nine-demo.net', [stripe('acct_1BrandNineDemo0001')]);
    const confirmed = await call('POST', `/v1/services/${site.service!.id}/review`, {
      key: reviewer,
      body: { action: 'confirm', reason: 'Reviewed the checkout: it sells undressing credits.', seen: (await reviewerView(site.service!.id)).seen },
    });
    expect(confirmed.json.decided.map((d) => [d.indicator.value, d.from, d.indicator.status])).toEqual([
      ['brand-nine-demo.net', 'listed', 'listed'],
      ['pay-nine-demo.net', 'reported', 'listed'],
    ]);
    expect((await serviceOf('pay-nine-demo.net')).status).toBe('listed');
  });
});
