import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { ReviewQueue, Role } from '../../shared';
import { writeList } from '../../worker/src/services/write';
import type { Caller } from '../../worker/src/types';
import { call, db, flag, newOrg, operatorOrg } from './helpers';

/*
 * Issue 18, from outside, as the attacker would try it: no single organization, anonymous appellant or blind
 * click changes what partners see. Each case is written as the attacker's steps.
 */

const statusOf = (value: string) =>
  db().prepare("SELECT status, org_count FROM indicators WHERE kind = 'domain' AND value = ?1").bind(value).first<{ status: string; org_count: number }>();

/** A flag that passed authentication and is on its way to the single writer (what the route hands it). */
const inFlightFlag = (caller: Caller, value: string) =>
  writeList(env, {
    type: 'flag',
    caller,
    claim: { orgId: caller.orgId, key: crypto.randomUUID(), requestHash: crypto.randomUUID() },
    inputs: [{ target: value, reason: 'nudify_site', indicator: { kind: 'domain', value }, serviceKeys: [] }],
  }).then(
    () => null,
    (error: { status?: number; code?: string }) => [error.status, error.code],
  );

const callerOf = (member: { org: { id: string }; keyIds: Record<Role, string> }, role: Role = 'analyst'): Caller => ({
  keyId: member.keyIds[role],
  orgId: member.org.id,
  role,
  operator: false,
});

describe('races: suspension and revocation are decided in the single writer', () => {
  it('should not count a flag that was in flight when its organization was suspended', async () => {
    const op = await operatorOrg('admin');
    const [honest, suspect] = [await newOrg('analyst'), await newOrg('analyst')];
    await flag(honest.keys.analyst, { target: 'race-suspend-demo.net', reason: 'nudify_site' });
    // The suspect's request is authenticated, then the operator suspends it, then the request reaches the writer.
    const caller = callerOf(suspect);
    expect((await call('POST', `/v1/admin/orgs/${suspect.org.id}/suspend`, { key: op.keys.admin })).status).toBe(200);
    expect(await inFlightFlag(caller, 'race-suspend-demo.net')).toEqual([403, 'org_suspended']);
    expect(await statusOf('race-suspend-demo.net')).toEqual({ status: 'reported', org_count: 1 });
  });

  it('should not commit a flag that was in flight when its key was revoked', async () => {
    const [honest, member] = [await newOrg('analyst'), await newOrg('admin', 'analyst')];
    await flag(honest.keys.analyst, { target: 'race-revoke-demo.net', reason: 'nudify_site' });
    const caller = callerOf(member);
    expect((await call('POST', `/v1/admin/keys/${member.keyIds.analyst}/revoke`, { key: member.keys.admin })).status).toBe(200);
    expect(await inFlightFlag(caller, 'race-revoke-demo.net')).toEqual([401, 'unauthorized']);
    expect(await statusOf('race-revoke-demo.net')).toEqual({ status: 'reported', org_count: 1 });
    const flags = await db().prepare('SELECT COUNT(*) AS n FROM flags WHERE key_id = ?1').bind(member.keyIds.analyst).first<{ n: number }>();
    expect(flags!.n).toBe(0);
  });
});

describe('appeals open a case; reviewers decide', () => {
  let ip = 0;
  /** An appellant speaking from a fresh IPv4 address each time (rotating addresses, as an attacker would). */
  const fresh = () => ({ 'cf-connecting-ip': `203.0.113.${++ip % 250}`, 'x-test': String(ip) });
  const appeal = (target: string, headers: Record<string, string> = fresh()) =>
    call('POST', '/v1/disputes', {
      body: { target, contact: 'owner@appeal-demo.net', statement: 'We run a photo editor; nothing on it undresses anyone.' },
      headers,
    });
  const listedBy = async (orgs: { keys: Record<string, string> }[], target: string) => {
    for (const o of orgs) await flag(o.keys.analyst!, { target, reason: 'nudify_site' });
  };

  it('should change nothing partners see when an appellant contests many listings from many addresses', async () => {
    const orgs = [await newOrg('analyst'), await newOrg('analyst')];
    const { reader } = (await operatorOrg('reader')).keys;
    const targets = Array.from({ length: 12 }, (_, i) => `appeal-flood-${i}-demo.net`);
    for (const target of targets) await listedBy(orgs, target);
    const before = (await call('GET', '/v1/list', { key: reader })).json;
    for (const target of targets) expect((await appeal(target)).status).toBe(201);
    const after = (await call('GET', '/v1/list', { key: reader })).json;
    expect([after.version, after.checksum]).toEqual([before.version, before.checksum]);
    for (const target of targets) expect((await statusOf(target))!.status).toBe('listed');
  });

  it('should answer the same whether or not the target is listed, then and later', async () => {
    const orgs = [await newOrg('analyst'), await newOrg('analyst')];
    await listedBy(orgs, 'appeal-oracle-listed-demo.net');
    const listed = await appeal('appeal-oracle-listed-demo.net');
    const unknown = await appeal('appeal-oracle-unknown-demo.net');
    const shape = (r: typeof listed) => [r.status, Object.keys(r.json).sort(), Object.keys(r.json.dispute).sort(), r.json.dispute.outcome];
    expect(shape(unknown)).toEqual(shape(listed));
    const read = async (token: string) => (await call('POST', '/v1/disputes/status', { body: { token }, headers: fresh() })).json;
    const [a, b] = [await read(listed.json.token), await read(unknown.json.token)];
    expect([a.outcome, a.resolution, b.outcome, b.resolution]).toEqual(['open', null, 'open', null]);
  });

  it('should refuse an /appeal form posted from another site, and store nothing', async () => {
    const orgs = [await newOrg('analyst'), await newOrg('analyst')];
    await listedBy(orgs, 'appeal-csrf-demo.net');
    const body = new URLSearchParams({
      target: 'appeal-csrf-demo.net',
      contact: 'x@csrf-demo.net',
      statement: 'Posted by a visitor’s browser, not by the owner.',
    });
    const attempts: Record<string, string>[] = [{ origin: 'https://nudify-front-demo.net' }, { 'sec-fetch-site': 'cross-site', origin: 'null' }, {}];
    for (const headers of attempts) {
      const res = await exports.default.fetch(
        new Request('https://flagline.test/appeal', {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...fresh(), ...headers },
        }),
      );
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('posts from other sites are refused');
    }
    const stored = await db().prepare("SELECT COUNT(*) AS n FROM disputes WHERE value = 'appeal-csrf-demo.net'").first<{ n: number }>();
    expect(stored!.n).toBe(0);
  });

  it('should count an IPv6 appellant by its /64, however many addresses it rotates through', async () => {
    const orgs = [await newOrg('analyst'), await newOrg('analyst')];
    await listedBy(orgs, 'appeal-ipv6-demo.net');
    const minute = Math.floor(Date.now() / 60_000);
    const statuses = [];
    for (let i = 1; i <= 6; i++) statuses.push((await appeal('appeal-ipv6-demo.net', { 'cf-connecting-ip': `2001:db8:77:1:${i}::${i}` })).status);
    const other = await appeal('appeal-ipv6-demo.net', { 'cf-connecting-ip': '2001:db8:77:2::1' });
    if (Math.floor(Date.now() / 60_000) !== minute) return; // straddled the limiter's minute: the count restarted
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect(other.status).toBe(201);
  });

  it('should cap one target’s open case: past 50 appeals, more wait for the reviewers’ answer', async () => {
    for (let i = 0; i < 50; i++) expect((await appeal('appeal-cap-demo.net')).status).toBe(201);
    const refused = await appeal('appeal-cap-demo.net');
    expect([refused.status, refused.json.error?.code]).toEqual([429, 'rate_limited']);
  });

  it('should take a member’s disputes as proposals: none changes what partners see, and repeats add nothing', async () => {
    const orgs = [await newOrg('analyst'), await newOrg('analyst')];
    const disputer = await newOrg('analyst');
    const { reader } = (await operatorOrg('reader')).keys;
    const targets = Array.from({ length: 10 }, (_, i) => `member-dispute-${i}-demo.net`);
    for (const target of targets) await listedBy(orgs, target);
    const before = (await call('GET', '/v1/list', { key: reader })).json.version;
    for (const target of [...targets, ...targets]) {
      const res = await call('POST', '/v1/indicators/dispute', { key: disputer.keys.analyst, body: { target, reason: 'We think this changed owner.' } });
      expect(res.json).toMatchObject({ indicator: { status: 'listed' }, version: null });
    }
    expect((await call('GET', '/v1/list', { key: reader })).json.version).toBe(before);
    const cases = await db()
      .prepare("SELECT COUNT(*) AS n FROM disputes WHERE source_org_id = ?1 AND outcome = 'open'")
      .bind(disputer.org.id)
      .first<{ n: number }>();
    expect(cases!.n).toBe(10);
  });

  it('should never tell an appellant who flagged them, and keep the case open through suspension and reinstatement', async () => {
    const op = await operatorOrg('admin', 'reviewer');
    const [a, b] = [await newOrg('analyst'), await newOrg('analyst')];
    await listedBy([a, b], 'appeal-suspend-demo.net');
    const opened = await appeal('appeal-suspend-demo.net');
    await call('POST', `/v1/admin/orgs/${b.org.id}/suspend`, { key: op.keys.admin });
    expect((await statusOf('appeal-suspend-demo.net'))!.status).toBe('reported');
    const read = await call('POST', '/v1/disputes/status', { body: { token: opened.json.token }, headers: fresh() });
    expect(read.json).toMatchObject({ outcome: 'open', resolution: null });
    expect(read.text).not.toContain(b.org.name);
    await call('POST', `/v1/admin/orgs/${b.org.id}/reinstate`, { key: op.keys.admin });
    expect((await statusOf('appeal-suspend-demo.net'))!.status).toBe('listed');
    expect((await call('POST', '/v1/disputes/status', { body: { token: opened.json.token }, headers: fresh() })).json.outcome).toBe('open');
    // The reviewer's decision answers it, with the words written for the appellant.
    await call('POST', '/v1/indicators/confirm', {
      key: op.keys.reviewer,
      body: { target: 'appeal-suspend-demo.net', reason: `Corroborated by ${a.org.name}`, publicReason: 'The checkout sells undressing credits.' },
    });
    const answered = await call('POST', '/v1/disputes/status', { body: { token: opened.json.token }, headers: fresh() });
    expect(answered.json).toMatchObject({ outcome: 'kept', resolution: 'The checkout sells undressing credits.' });
    expect(answered.text).not.toContain(a.org.name);
  });

  it('should let only the operator’s reviewers read an appeal’s statement and contact', async () => {
    const orgs = [await newOrg('analyst', 'admin'), await newOrg('analyst')];
    const { reviewer } = (await operatorOrg('reviewer')).keys;
    await listedBy(orgs, 'appeal-read-demo.net');
    await appeal('appeal-read-demo.net');
    const queue = (await call('GET', '/v1/review/queue?limit=200', { key: reviewer })).json as unknown as ReviewQueue;
    const item = queue.items.find((i) => i.indicator.value === 'appeal-read-demo.net');
    expect(item?.appeals).toEqual([
      expect.objectContaining({ from: 'public', contact: 'owner@appeal-demo.net', statement: expect.stringContaining('photo editor') }),
    ]);
    for (const key of [orgs[0]!.keys.analyst!, orgs[0]!.keys.admin!]) expect((await call('GET', '/v1/review/queue', { key })).status).toBe(403);
  });
});

describe('one member cannot flap or flood the list', () => {
  it('should count a member’s flags on one budget over all its keys, each item of a batch counted', async () => {
    const member = await newOrg('admin', 'analyst');
    // The attacker mints two more analyst keys and sends batches of 100 through each (the budget here is 300).
    const minted = [member.keys.analyst];
    for (const label of ['second', 'third']) {
      minted.push((await call('POST', `/v1/admin/orgs/${member.org.id}/keys`, { key: member.keys.admin, body: { role: 'analyst', label } })).json.key);
    }
    const statuses = [];
    for (let batch = 0; batch < 4; batch++) {
      const flags = Array.from({ length: 100 }, (_, i) => ({ target: `budget-${batch}-${i}-demo.net`, reason: 'nudify_site' }));
      statuses.push((await flag(minted[batch % 3]!, { flags })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await flag(minted[1]!, { target: 'budget-one-more-demo.net', reason: 'nudify_site' });
    expect([refused.status, refused.json.error?.code, refused.headers.get('retry-after')]).toEqual([429, 'rate_limited', '3600']);
    const written = await db().prepare('SELECT COUNT(*) AS n FROM flags WHERE org_id = ?1').bind(member.org.id).first<{ n: number }>();
    expect(written!.n).toBe(300);
  });

  it('should let a member withdraw and re-flag one indicator at most once a day, with the wait in the answer', async () => {
    const [a, b] = [await newOrg('analyst'), await newOrg('analyst')];
    const { reader } = (await operatorOrg('reader')).keys;
    await flag(b.keys.analyst, { target: 'flap-demo.net', reason: 'nudify_site' });
    const first = (await flag(a.keys.analyst, { target: 'flap-demo.net', reason: 'nudify_site' })).json.results[0]!;
    expect(first.status).toBe('listed');
    const before = (await call('GET', '/v1/list', { key: reader })).json.version;
    expect((await call('POST', `/v1/flags/${first.flagId}/withdraw`, { key: a.keys.analyst, body: { reason: 'flapping on purpose' } })).status).toBe(200);
    const again = await flag(a.keys.analyst, { target: 'flap-demo.net', reason: 'nudify_site' });
    expect([again.status, again.json.error?.code, again.json.error?.fields?.[0]?.code]).toEqual([422, 'cooling_down', 'cooling_down']);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(23 * 3600);
    expect(again.json.error?.fields?.[0]?.message).toMatch(/can flag it again from \d{4}-\d\d-\d\dT/);
    // Partners saw one change (the removal), not a flap.
    const changes = (await call('GET', `/v1/changes?since=${before}`, { key: reader })).json.changes.filter((c) => c.value === 'flap-demo.net');
    expect(changes.map((c) => c.op)).toEqual(['remove']);
    // Another organization is not held back by it.
    const c = await newOrg('analyst');
    expect((await flag(c.keys.analyst, { target: 'flap-demo.net', reason: 'nudify_site' })).json.results[0]!.status).toBe('listed');
  });
});

describe('services: evidence proposes, corroboration decides', () => {
  const stripe = (id: string) => ({ type: 'stripe_account' as const, value: id });
  const withEvidence = (key: string, target: string, signals: { type: string; value: string }[], url?: string) =>
    flag(key, { target, reason: 'nudify_site', evidence: { ...(url ? { url } : {}), signals } });
  const service = async (id: string, key: string) => call('GET', `/v1/services/${id}`, { key });

  it('should keep a legitimate merchant, a big platform’s apps and a stranger’s handle off the list when one member names them as a service’s', async () => {
    const [x, y, attacker] = [await newOrg('analyst'), await newOrg('analyst'), await newOrg('analyst')];
    const { reviewer, reader } = (await operatorOrg('reviewer', 'reader')).keys;
    // Two members list a nudify brand with its own merchant: a corroborated service.
    for (const o of [x, y]) await withEvidence(o.keys.analyst, 'nudify-brand-demo.net', [stripe('acct_1NudifyBrandDemo01')]);
    const svc = (await lookupService(reader, 'nudify-brand-demo.net'))!;
    const before = (await service(svc, reviewer)).json;
    // The attacker reports a legitimate merchant and handle, then flags the listed brand with them, WhatsApp's
    // App Store app and Instagram's Play package in its evidence.
    await flag(attacker.keys.analyst, { target: 'acct_1LegitMerchantDemo', reason: 'payment_front' });
    await flag(attacker.keys.analyst, { target: 'x:legit_shop_demo', reason: 'nudify_app' });
    const planted = await withEvidence(attacker.keys.analyst, 'nudify-brand-demo.net', [
      stripe('acct_1LegitMerchantDemo'),
      { type: 'app_link', value: 'https://apps.apple.com/app/whatsapp-messenger/id310633997' },
      { type: 'app_link', value: 'https://play.google.com/store/apps/details?id=com.instagram.android' },
      { type: 'handle', value: 'https://x.com/legit_shop_demo' },
    ]);
    expect(planted.status).toBe(201);
    // The big platforms' apps cannot even be flagged.
    const whatsapp = await flag(attacker.keys.analyst, { target: 'id310633997', reason: 'nudify_app' });
    expect(whatsapp.json.error?.fields?.[0]?.code).toBe('shared_platform');
    const after = (await service(svc, reviewer)).json;
    // One member's claim moved nobody else's report into the service, and no app of a big platform is in it.
    expect(after.members!.map((m) => m.value)).toEqual(before.members!.map((m) => m.value));
    expect(after.seen).toBe(before.seen);
    // A reviewer deciding for the whole service moves exactly what the view showed.
    const confirm = await call('POST', `/v1/services/${svc}/review`, {
      key: reviewer,
      body: { action: 'confirm', reason: 'Checked the checkout.', seen: after.seen },
    });
    expect(confirm.json.decided.map((d) => d.indicator.value)).toEqual(['nudify-brand-demo.net']);
    for (const value of ['merchant:stripe:acct_1LegitMerchantDemo', 'handle:x:legit_shop_demo']) {
      expect((await call('GET', `/v1/lookup?q=${encodeURIComponent(value)}`, { key: reader })).json.status).toBe('reported');
    }
  });

  it('should show a reviewer every member a whole-service decision would move, and refuse a stale one', async () => {
    const [x, y] = [await newOrg('analyst'), await newOrg('analyst')];
    const { reviewer, reader } = (await operatorOrg('reviewer', 'reader')).keys;
    for (const o of [x, y]) await withEvidence(o.keys.analyst, 'stale-brand-demo.net', [stripe('acct_1StaleBrandDemo001')]);
    await withEvidence(x.keys.analyst, 'stale-mirror-demo.net', [stripe('acct_1StaleBrandDemo001')]);
    const svc = (await lookupService(reader, 'stale-brand-demo.net'))!;
    const view = (await service(svc, reviewer)).json;
    expect(view.members).toEqual([
      expect.objectContaining({ value: 'stale-brand-demo.net', status: 'listed', orgCount: 2, signals: [{ type: 'stripe_account', count: 2 }] }),
      expect.objectContaining({ value: 'stale-mirror-demo.net', status: 'reported', orgCount: 1, signals: [{ type: 'stripe_account', count: 1 }] }),
    ]);
    // Partners see only what is on the list, and no `seen`.
    const partner = (await service(svc, reader)).json;
    expect([partner.entries.map((e) => e.value), partner.members, partner.seen]).toEqual([['stale-brand-demo.net'], undefined, undefined]);
    // A new mirror joins after the reviewer looked: the decision is refused, and nothing moves.
    await withEvidence(x.keys.analyst, 'stale-late-demo.net', [stripe('acct_1StaleBrandDemo001')]);
    const stale = await call('POST', `/v1/services/${svc}/review`, { key: reviewer, body: { action: 'confirm', reason: 'Checked.', seen: view.seen } });
    expect([stale.status, stale.json.error?.code]).toEqual([409, 'conflict']);
    expect((await call('GET', '/v1/lookup?q=stale-mirror-demo.net', { key: reader })).json.status).toBe('reported');
    const missing = await call('POST', `/v1/services/${svc}/review`, { key: reviewer, body: { action: 'confirm', reason: 'Checked.' } });
    expect(missing.status).toBe(400);
  });

  it('should not let one member’s squatted identifier pull another organization’s honest flags into its service', async () => {
    const [squatter, honest] = [await newOrg('analyst'), await newOrg('analyst')];
    const first = (await withEvidence(squatter.keys.analyst, 'squat-front-demo.net', [stripe('acct_1SquattedMerchant1')])).json.results[0]!;
    const later = (await withEvidence(honest.keys.analyst, 'honest-brand-demo.net', [stripe('acct_1SquattedMerchant1')])).json.results[0]!;
    expect(later.service?.id).not.toBe(first.service!.id);
    expect(later.service).toMatchObject({ match: 'proposed', name: 'honest-brand-demo.net' });
  });

  it('should not change the service of an indicator partners see on one member’s flag', async () => {
    const [x, y, member] = [await newOrg('analyst'), await newOrg('analyst'), await newOrg('analyst')];
    const { reader } = (await operatorOrg('reader')).keys;
    for (const o of [x, y]) await flag(o.keys.analyst, { target: 'listed-alone-demo.net', reason: 'nudify_site' });
    await withEvidence(member.keys.analyst, 'member-brand-demo.net', [stripe('acct_1MemberBrandDemo01')]);
    const before = (await call('GET', '/v1/list', { key: reader })).json.version;
    const answer = (await withEvidence(member.keys.analyst, 'listed-alone-demo.net', [stripe('acct_1MemberBrandDemo01')])).json.results[0]!;
    expect(answer.service).toBeUndefined();
    expect(await lookupService(reader, 'listed-alone-demo.net')).toBeUndefined();
    // Partners see one more organization counted, and no service.
    const changes = (await call('GET', `/v1/changes?since=${before}`, { key: reader })).json.changes;
    expect(changes).toEqual([expect.objectContaining({ value: 'listed-alone-demo.net', orgCount: 3 })]);
    expect(changes[0]!.service).toBeUndefined();
  });

  it('should name a proposal after the flagged indicator, and tell nobody else of an unlisted report or its evidence', async () => {
    const [reporter, other] = [await newOrg('analyst'), await newOrg('analyst')];
    const { reader } = (await operatorOrg('reader')).keys;
    const proposed = (
      await withEvidence(
        reporter.keys.analyst,
        'acct_1NamedAfterDemo001',
        [{ type: 'handle', value: 'https://t.me/named_after_demo_bot' }],
        'https://secret-evidence-demo.net/checkout',
      )
    ).json.results[0]!;
    expect(proposed.service).toMatchObject({ match: 'proposed', name: 'stripe:acct_1NamedAfterDemo001' });
    // Another organization flags the same bot: its answer names no service; the proposal is not there for it.
    const answer = await flag(other.keys.analyst, { target: '@named_after_demo_bot', reason: 'nudify_app' });
    expect(answer.text).not.toContain(proposed.service!.id);
    expect(answer.text).not.toContain('secret-evidence-demo');
    expect((await call('GET', `/v1/services/${proposed.service!.id}`, { key: reader })).status).toBe(404);
    const lookup = await call('GET', '/v1/lookup?q=acct_1NamedAfterDemo001', { key: reader });
    expect(lookup.text).not.toContain(proposed.service!.id);
  });

  it('should claim at most 10 identifiers from one flag', async () => {
    const member = await newOrg('analyst');
    const signals = Array.from({ length: 15 }, (_, i) => stripe(`acct_1CapDemo${String(i).padStart(9, '0')}`));
    const result = (await withEvidence(member.keys.analyst, 'cap-demo.net', signals)).json.results[0]!;
    const claims = await db().prepare('SELECT COUNT(*) AS n FROM service_claims WHERE service_id = ?1').bind(result.service!.id).first<{ n: number }>();
    expect(claims!.n).toBe(10);
  });
});

async function lookupService(reader: string, q: string): Promise<string | undefined> {
  return (await call('GET', `/v1/lookup?q=${encodeURIComponent(q)}`, { key: reader })).json.service;
}

describe('reviewers see what they decide', () => {
  it('should show the evidence itself in the queue: signal values, page title and URL, redirect chain and note, never the organization', async () => {
    const member = await newOrg('analyst');
    const { reviewer } = (await operatorOrg('reviewer')).keys;
    const evidence = {
      title: 'Undress Demo | Pricing',
      url: 'https://queue-evidence-demo.net/pricing',
      redirectChain: ['https://ads-hop-demo.net/c', 'https://queue-evidence-demo.net/pricing'],
      signals: [{ type: 'stripe_account', value: 'acct_1QueueEvidence001' }],
    };
    const note = 'Checkout page sells undressing credits.';
    await flag(member.keys.analyst, { target: 'queue-evidence-demo.net', reason: 'payment_front', note, evidence });
    const queue = (await call('GET', '/v1/review/queue?limit=200', { key: reviewer })).json as unknown as ReviewQueue;
    const item = queue.items.find((i) => i.indicator.value === 'queue-evidence-demo.net')!;
    // Exactly what the analyst sent, as it was sent.
    expect(item.evidence).toEqual([{ reason: 'payment_front', at: expect.any(String), note, evidence }]);
    expect(JSON.stringify(item)).not.toContain(member.org.id);
  });

  it('should sort cases by deadline before cutting, and page through everything so a flood of appeals hides nothing', async () => {
    const [x, y] = [await newOrg('analyst'), await newOrg('analyst')];
    const { reviewer } = (await operatorOrg('reviewer')).keys;
    // The earliest-due case rests on the fewest organizations (the old queue cut by count before sorting by deadline).
    const targets = ['page-case-0-demo.net', 'page-case-1-demo.net', 'page-case-2-demo.net', 'page-case-3-demo.net'];
    for (const [i, target] of targets.entries()) {
      await flag(x.keys.analyst, { target, reason: 'nudify_site' });
      if (i > 0) await flag(y.keys.analyst, { target, reason: 'nudify_site' });
      await call('POST', '/v1/disputes', {
        body: { target, contact: 'owner@page-demo.net', statement: 'We are a photo studio and sell prints only.' },
        headers: { 'cf-connecting-ip': `192.0.2.${50 + i}` },
      });
    }
    await flag(x.keys.analyst, { target: 'page-report-demo.net', reason: 'nudify_site' });
    const seen: ReviewQueue['items'] = [];
    for (let offset: number | null | undefined = 0; offset !== null && offset !== undefined; ) {
      const page = (await call('GET', `/v1/review/queue?limit=3&offset=${offset}`, { key: reviewer })).json as unknown as ReviewQueue;
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      offset = page.next;
    }
    const keys = seen.map((i) => i.indicator.value);
    expect(new Set(keys).size).toBe(keys.length);
    const mine = keys.filter((k) => k.startsWith('page-case-'));
    expect(mine).toEqual(targets);
    expect(keys.indexOf('page-report-demo.net')).toBeGreaterThan(keys.indexOf('page-case-3-demo.net'));
    const dues = seen.filter((i) => i.why === 'dispute' && i.openDisputes > 0).map((i) => i.dueAt!);
    expect(dues).toEqual([...dues].sort());
  });
});

describe('text fields never carry a file', () => {
  // A PNG's first bytes spelled two ways; test/shared/plain-text.test.ts refuses all 24 encodings of a whole one.
  const spelled = [
    `See iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAAAAADhZOFXAAAAf0lEQVR4nGNgGAWjYBSMglEwCkbBKBgFo2AU`,
    Array.from({ length: 40 }, (_, i) => `\\x${((i * 37) & 255).toString(16).padStart(2, '0')}`).join(''),
  ];

  it('should refuse encoded data in a flag’s note and target, a withdrawal’s reason, and an appeal’s statement and contact', async () => {
    const member = await newOrg('analyst');
    for (const text of spelled) {
      const note = await flag(member.keys.analyst, { target: 'text-file-demo.net', reason: 'other', note: text });
      expect([note.status, note.json.error?.fields?.[0]]).toEqual([400, expect.objectContaining({ path: 'note', code: 'encoded_data_refused' })]);
      const target = await flag(member.keys.analyst, { target: `https://text-file-demo.net/${encodeURIComponent(text)}`, reason: 'other' });
      expect(target.json.error?.fields?.[0]).toMatchObject({ path: 'target', code: 'encoded_data_refused' });
      const statement = await call('POST', '/v1/disputes', {
        body: { target: 'text-file-demo.net', contact: 'owner@text-file-demo.net', statement: `Our logo, so you can see: ${text}` },
        headers: { 'cf-connecting-ip': '192.0.2.200' },
      });
      expect(statement.json.error?.fields?.[0]).toMatchObject({ path: 'statement', code: 'encoded_data_refused' });
      const contact = await call('POST', '/v1/disputes', {
        body: { target: 'text-file-demo.net', contact: text, statement: 'We run a photo editor; nothing on it undresses anyone.' },
        headers: { 'cf-connecting-ip': '192.0.2.201' },
      });
      expect(contact.json.error?.fields?.[0]).toMatchObject({ path: 'contact', code: 'encoded_data_refused' });
    }
    const flagged = (await flag(member.keys.analyst, { target: 'text-file-demo.net', reason: 'other' })).json.results[0]!;
    const withdraw = await call('POST', `/v1/flags/${flagged.flagId}/withdraw`, { key: member.keys.analyst, body: { reason: spelled[0] } });
    expect(withdraw.json.error?.fields?.[0]).toMatchObject({ path: 'reason', code: 'encoded_data_refused' });
  });
});
