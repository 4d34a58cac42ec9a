import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { parseTargets, protectedTargets } from '../../worker/src/services/targets';
import { call, db, flag, newOrg, operatorOrg } from './helpers';

const audit = async (subjectId: string) =>
  (await db().prepare('SELECT action, from_status, to_status, reason FROM audit_log WHERE subject_id = ?1 ORDER BY id').bind(subjectId).all()).results;
const indicatorRow = (kind: string, value: string) =>
  db().prepare('SELECT * FROM indicators WHERE kind = ?1 AND value = ?2').bind(kind, value).first<{ id: string; status: string; org_count: number }>();

describe('POST /v1/flags', () => {
  describe('happy path', () => {
    it('should record a flag as reported, with the canonical indicator', async () => {
      const a = await newOrg('analyst');
      const res = await flag(a.keys.analyst, {
        target: 'https://Checkout.Alpha-Demo.net/pay?plan=1',
        reason: 'payment_front',
        note: 'checkout for a nudify app',
        evidence: {
          title: 'Alpha Demo Pro',
          signals: [{ type: 'stripe_account', value: 'acct_1DemoDemoDemo0001' }],
          redirectChain: ['https://alpha-demo.net/', 'https://checkout.alpha-demo.net/pay'],
        },
      });
      expect(res.status).toBe(201);
      expect(res.json.results).toEqual([
        expect.objectContaining({ indicator: { kind: 'domain', value: 'alpha-demo.net' }, outcome: 'accepted', status: 'reported', orgCount: 1 }),
      ]);
      const stored = await db()
        .prepare('SELECT evidence, note FROM flags WHERE id = ?1')
        .bind(res.json.results[0]?.flagId)
        .first<{ evidence: string; note: string }>();
      expect(JSON.parse(stored!.evidence).signals[0].value).toBe('acct_1DemoDemoDemo0001');
    });

    it('should list an indicator once LISTING_THRESHOLD (2) organizations agree, and write the audit trail', async () => {
      const [a, b] = [await newOrg('analyst'), await newOrg('analyst')];
      await flag(a.keys.analyst, { target: 'bravo-demo.net', reason: 'nudify_site' });
      const second = await flag(b.keys.analyst, { target: 'https://www.bravo-demo.net/', reason: 'nudify_app' });
      expect(second.json.results[0]).toMatchObject({ status: 'listed', orgCount: 2 });
      const row = await indicatorRow('domain', 'bravo-demo.net');
      expect(await audit(row!.id)).toEqual([
        expect.objectContaining({ action: 'indicator.reported', from_status: null, to_status: 'reported' }),
        expect.objectContaining({ action: 'indicator.listed_by_consensus', from_status: 'reported', to_status: 'listed' }),
      ]);
    });

    it('should keep one live flag per organization: a second flag by the same organization is already_flagged', async () => {
      const a = await newOrg('analyst');
      const first = await flag(a.keys.analyst, { target: 'charlie-demo.net', reason: 'nudify_site' });
      const again = await flag(a.keys.analyst, { target: 'https://charlie-demo.net/other', reason: 'other' });
      expect(again.status).toBe(200);
      expect(again.json.results[0]).toMatchObject({ outcome: 'already_flagged', flagId: first.json.results[0]?.flagId, orgCount: 1, status: 'reported' });
    });

    it('should take a batch, with duplicates inside it resolved to one flag', async () => {
      const a = await newOrg('analyst');
      const res = await flag(a.keys.analyst, {
        flags: [
          { target: 'delta-demo.net', reason: 'nudify_site' },
          { target: 'acct_1DeltaDemo000001', reason: 'payment_front' },
          { target: 'https://t.me/delta_demo_bot', reason: 'nudify_app' },
          { target: 'www.delta-demo.net', reason: 'nudify_site' },
        ],
      });
      expect(res.status).toBe(201);
      expect(res.json.results.map((r) => `${r.indicator.kind}:${r.indicator.value} ${r.outcome}`)).toEqual([
        'domain:delta-demo.net accepted',
        'merchant:stripe:acct_1DeltaDemo000001 accepted',
        'handle:telegram:delta_demo_bot accepted',
        'domain:delta-demo.net already_flagged',
      ]);
    });

    it('should answer a retried request from its Idempotency-Key without flagging twice', async () => {
      const a = await newOrg('analyst');
      const body = { target: 'echo-demo.net', reason: 'nudify_site' };
      const first = await flag(a.keys.analyst, body, 'retry-1');
      const retry = await flag(a.keys.analyst, body, 'retry-1');
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.json).toEqual(first.json);
      const count = await db().prepare("SELECT COUNT(*) AS n FROM flags WHERE target = 'echo-demo.net'").first<{ n: number }>();
      expect(count!.n).toBe(1);
    });

    it('should let two organizations flag the same indicator at once and count both', async () => {
      const orgs = await Promise.all([1, 2, 3].map(() => newOrg('analyst')));
      const results = await Promise.all(orgs.map((o) => flag(o.keys.analyst, { target: 'foxtrot-demo.net', reason: 'nudify_site' })));
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      const row = await indicatorRow('domain', 'foxtrot-demo.net');
      expect(row).toMatchObject({ status: 'listed', org_count: 3 });
    });

    it("should list this organization's own flags with their current status", async () => {
      const [a, b] = [await newOrg('analyst'), await newOrg('analyst')];
      await flag(a.keys.analyst, { target: 'golf-demo.net', reason: 'nudify_site' });
      await flag(b.keys.analyst, { target: 'golf-demo.net', reason: 'nudify_site' });
      const mine = await call('GET', '/v1/flags', { key: a.keys.analyst });
      expect(mine.json.flags).toEqual([
        expect.objectContaining({ indicator: { kind: 'domain', value: 'golf-demo.net' }, status: 'listed', orgCount: 2, live: true }),
      ]);
    });
  });

  describe('errors', () => {
    it('should refuse a target that is not listable, naming which and why, and write nothing', async () => {
      const a = await newOrg('analyst');
      const res = await flag(a.keys.analyst, {
        flags: [
          { target: 'hotel-demo.net', reason: 'nudify_site' },
          { target: 'google.com', reason: 'nudify_site' },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'invalid_indicator', fields: [{ path: 'flags.1.target', code: 'shared_platform' }] });
      expect(await indicatorRow('domain', 'hotel-demo.net')).toBeNull();
    });

    it.each([
      ['an unknown reason', { target: 'india-demo.net', reason: 'spam' }, 'invalid_request'],
      ['a missing target', { reason: 'nudify_site' }, 'invalid_request'],
      ['unknown fields', { target: 'india-demo.net', reason: 'nudify_site', screenshot: 'x' }, 'invalid_request'],
      ['an empty batch', { flags: [] }, 'invalid_request'],
    ])('should refuse %s with 400 %s', async (_, body, code) => {
      const a = await newOrg('analyst');
      const res = await flag(a.keys.analyst, body);
      expect(res.status).toBe(400);
      expect(res.json.error?.code).toBe(code);
      expect(res.json.error?.requestId).toBeTruthy();
    });

    it('should refuse image data anywhere in the body', async () => {
      const a = await newOrg('analyst');
      const png = `iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk${'A'.repeat(120)}`;
      for (const value of [`data:image/png;base64,${png}`, png]) {
        const res = await flag(a.keys.analyst, { target: 'juliet-demo.net', reason: 'nudify_site', evidence: { signals: [{ type: 'other', value }] } });
        expect(res.status).toBe(422);
        expect(res.json.error?.code).toBe('image_data_refused');
      }
      expect(await indicatorRow('domain', 'juliet-demo.net')).toBeNull();
    });

    it('should refuse bodies over the size cap with 413', async () => {
      const a = await newOrg('analyst');
      const res = await flag(a.keys.analyst, { target: 'kilo-demo.net', reason: 'other', note: 'x'.repeat(1_100_000) });
      expect(res.status).toBe(413);
      expect(res.json.error?.code).toBe('payload_too_large');
    });

    it('should refuse malformed JSON, a wrong content type and a missing Idempotency-Key', async () => {
      const a = await newOrg('analyst');
      const broken = await call('POST', '/v1/flags', { key: a.keys.analyst, body: '{"target": ', headers: { 'idempotency-key': 'k1' } });
      expect([broken.status, broken.json.error?.code]).toEqual([400, 'invalid_json']);
      const form = await call('POST', '/v1/flags', {
        key: a.keys.analyst,
        body: 'target=x',
        headers: { 'idempotency-key': 'k2', 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect([form.status, form.json.error?.code]).toEqual([415, 'unsupported_media_type']);
      const noKey = await call('POST', '/v1/flags', { key: a.keys.analyst, body: { target: 'lima-demo.net', reason: 'other' } });
      expect([noKey.status, noKey.json.error?.code]).toEqual([400, 'idempotency_key_required']);
    });

    it('should refuse an Idempotency-Key reused for a different request', async () => {
      const a = await newOrg('analyst');
      await flag(a.keys.analyst, { target: 'mike-demo.net', reason: 'other' }, 'same-key');
      const res = await flag(a.keys.analyst, { target: 'november-demo.net', reason: 'other' }, 'same-key');
      expect([res.status, res.json.error?.code]).toEqual([422, 'idempotency_key_reused']);
    });
  });

  describe('security', () => {
    it('should refuse a request without a key, with an unknown key and with a revoked key', async () => {
      const a = await newOrg('analyst', 'admin');
      expect((await flag('', { target: 'oscar-demo.net', reason: 'other' })).json.error?.code).toBe('unauthorized');
      expect((await flag(`flk_${'A'.repeat(43)}`, { target: 'oscar-demo.net', reason: 'other' })).status).toBe(401);
      await call('POST', `/v1/admin/keys/${a.keyIds.analyst}/revoke`, { key: a.keys.admin });
      const revoked = await flag(a.keys.analyst, { target: 'oscar-demo.net', reason: 'other' });
      expect([revoked.status, revoked.json.error?.code]).toEqual([401, 'unauthorized']);
    });

    it('should refuse roles that may not flag', async () => {
      const a = await newOrg('reader', 'admin');
      for (const key of [a.keys.reader, a.keys.admin]) {
        const res = await flag(key, { target: 'papa-demo.net', reason: 'other' });
        expect([res.status, res.json.error?.code]).toEqual([403, 'forbidden']);
      }
    });

    it("should never show one organization another organization's flags or identity", async () => {
      const [a, b] = [await newOrg('analyst'), await newOrg('analyst', 'reader')];
      await flag(a.keys.analyst, { target: 'quebec-demo.net', reason: 'nudify_site', note: 'secret note of org A' });
      const theirs = await call('GET', '/v1/flags', { key: b.keys.analyst });
      expect(theirs.json.flags).toEqual([]);
      const lookup = await call('GET', '/v1/lookup?q=quebec-demo.net', { key: b.keys.reader });
      expect(lookup.json).toMatchObject({ status: 'reported', orgCount: 1 });
      expect(lookup.text).not.toContain(a.org.id);
      expect(lookup.text).not.toContain('secret note');
      const whoFlagged = await call('GET', '/v1/admin/flags?target=quebec-demo.net', { key: b.keys.analyst });
      expect(whoFlagged.status).toBe(403);
    });
  });
});

describe('review: confirm, reject, delist, dispute', () => {
  const review = (key: string, action: string, target: string, reason = 'checked by a reviewer') =>
    call('POST', `/v1/indicators/${action}`, { key, body: { target, reason } });

  it('should let a reviewer confirm a reported indicator onto the list, with the reason in the audit log', async () => {
    const [a, r] = [await newOrg('analyst'), await operatorOrg('reviewer')];
    await flag(a.keys.analyst, { target: 'romeo-demo.net', reason: 'nudify_site' });
    const res = await review(r.keys.reviewer, 'confirm', 'romeo-demo.net', 'verified checkout flow');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ indicator: { status: 'listed', orgCount: 1, reasons: ['nudify_site'] }, from: 'reported' });
    const row = await indicatorRow('domain', 'romeo-demo.net');
    expect((await audit(row!.id)).at(-1)).toMatchObject({
      action: 'indicator.confirm',
      from_status: 'reported',
      to_status: 'listed',
      reason: 'verified checkout flow',
    });
  });

  it('should let a reviewer list something never flagged', async () => {
    const r = await operatorOrg('reviewer');
    const res = await review(r.keys.reviewer, 'confirm', 'acct_1SierraDemo00001');
    expect(res.json).toMatchObject({ indicator: { kind: 'merchant', value: 'stripe:acct_1SierraDemo00001', status: 'listed' }, from: 'unknown' });
  });

  it('should take a member’s dispute as a proposal, a reviewer’s as a mark, then delist, retiring the flags so a new report starts afresh', async () => {
    const [a, b, r] = [await newOrg('analyst'), await newOrg('analyst'), await operatorOrg('reviewer')];
    await flag(a.keys.analyst, { target: 'tango-demo.net', reason: 'nudify_site' });
    await flag(b.keys.analyst, { target: 'tango-demo.net', reason: 'nudify_site' });
    expect((await review(a.keys.analyst, 'dispute', 'tango-demo.net', 'site changed owner')).json).toMatchObject({
      indicator: { status: 'listed' },
      version: null,
    });
    expect((await review(r.keys.reviewer, 'dispute', 'tango-demo.net', 'checking the new owner')).json.indicator.status).toBe('disputed');
    expect((await review(r.keys.reviewer, 'delist', 'tango-demo.net', 'new owner, clean')).json.indicator).toMatchObject({ status: 'delisted', orgCount: 0 });
    const again = await flag(a.keys.analyst, { target: 'tango-demo.net', reason: 'nudify_site' });
    expect(again.json.results[0]).toMatchObject({ outcome: 'accepted', status: 'reported', orgCount: 1 });
  });

  it('should reject a report as delisted', async () => {
    const [a, r] = [await newOrg('analyst'), await operatorOrg('reviewer')];
    await flag(a.keys.analyst, { target: 'uniform-demo.net', reason: 'other' });
    expect((await review(r.keys.reviewer, 'reject', 'uniform-demo.net', 'unrelated site')).json.indicator.status).toBe('delisted');
  });

  it('should refuse transitions that do not apply, with invalid_transition or not_found', async () => {
    const [a, r] = [await newOrg('analyst'), await operatorOrg('reviewer')];
    await flag(a.keys.analyst, { target: 'victor-demo.net', reason: 'other' });
    expect((await review(r.keys.reviewer, 'delist', 'victor-demo.net')).json.error?.code).toBe('invalid_transition');
    expect((await review(r.keys.reviewer, 'reject', 'never-seen-demo.net')).status).toBe(404);
    expect((await review(r.keys.reviewer, 'confirm', 'x.com')).json.error?.code).toBe('invalid_indicator');
    expect((await review(r.keys.reviewer, 'confirm', 'victor-demo.net', '')).json.error?.code).toBe('invalid_request');
  });

  it('should keep review actions for reviewers', async () => {
    const a = await newOrg('analyst');
    await flag(a.keys.analyst, { target: 'whiskey-demo.net', reason: 'other' });
    expect((await review(a.keys.analyst, 'confirm', 'whiskey-demo.net')).status).toBe(403);
  });

  it('should keep the audit log append-only', async () => {
    const a = await newOrg('analyst');
    await flag(a.keys.analyst, { target: 'audited-demo.net', reason: 'other' });
    await expect(db().prepare("UPDATE audit_log SET reason = 'edited'").run()).rejects.toThrow(/append-only/);
    await expect(db().prepare('DELETE FROM audit_log').run()).rejects.toThrow(/append-only/);
  });
});

describe('evidence is structured text, bounded', () => {
  /** Synthetic bytes that open like an image of each kind (invented, never real imagery): 3 KB each. */
  const synthetic = (header: number[]) => {
    const bytes = new Uint8Array(3072);
    bytes.set(header);
    for (let i = header.length; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    return bytes;
  };
  const PNG = synthetic([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
  const hexOf = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const chunks = (text: string, size: number) => text.match(new RegExp(`.{1,${size}}`, 'g'))!;
  const png64 = b64(PNG);
  const ENCODINGS: [string, unknown][] = [
    ['a data: URL', { signals: [{ type: 'other', value: `data:image/png;base64,${png64}` }] }],
    ['an upper-case DATA: URL', { title: `DATA:IMAGE/PNG;BASE64,${png64}` }],
    ['base64 with line breaks', { title: chunks(png64, 76).join('\n') }],
    ['base64 with spaces', { title: chunks(png64, 4).join(' ') }],
    ['base64url', { title: png64.replaceAll('+', '-').replaceAll('/', '_') }],
    ['hex', { title: hexOf(PNG) }],
    ['hex with spaces', { title: chunks(hexOf(PNG), 2).join(' ') }],
    ['base64 split across signals', { signals: chunks(png64, 40).map((value) => ({ type: 'meta', value })) }],
    ['a BMP', { title: b64(synthetic([0x42, 0x4d])) }],
    ['a TIFF', { title: b64(synthetic([0x49, 0x49, 0x2a, 0x00])) }],
    ['an AVIF', { title: b64(synthetic([0, 0, 0, 0x1c, 0x66, 0x74, 0x79, 0x70, 0x61, 0x76, 0x69, 0x66])) }],
    ['base64 in a URL query', { canonicalUrl: `https://page-demo.net/?img=${encodeURIComponent(png64.slice(0, 400))}` }],
    [
      'base64 in URL path segments',
      {
        redirectChain: chunks(png64.replaceAll('/', '_'), 40)
          .slice(0, 10)
          .map((part) => `https://hop-demo.net/${part}`),
      },
    ],
    ['a signal value padded with data', { signals: [{ type: 'stripe_account', value: `acct_1Demo${png64.slice(0, 60)}` }] }],
    ['an unknown field', { screenshot: png64.slice(0, 100) }],
  ];

  it.each(ENCODINGS)('should refuse an image as %s, storing nothing', async (_name, evidence) => {
    const a = await newOrg('analyst');
    const target = `evidence-${crypto.randomUUID().slice(0, 8)}-demo.net`;
    const res = await flag(a.keys.analyst, { target, reason: 'nudify_site', evidence });
    expect([400, 413, 422]).toContain(res.status);
    expect(['invalid_request', 'image_data_refused', 'payload_too_large']).toContain(res.json.error?.code);
    expect(await indicatorRow('domain', target)).toBeNull();
  });

  it('should say which rule refused it: encoded data, or evidence over its size cap', async () => {
    const a = await newOrg('analyst');
    const encoded = await flag(a.keys.analyst, { target: 'rules-demo.net', reason: 'other', evidence: { title: png64.slice(0, 60) } });
    expect(encoded.json.error?.fields).toEqual([expect.objectContaining({ path: 'evidence.title', code: 'encoded_data_refused' })]);
    const big = await flag(a.keys.analyst, {
      target: 'rules-demo.net',
      reason: 'other',
      evidence: { redirectChain: Array.from({ length: 10 }, (_, i) => `https://hop-${i}-demo.net/${'page/'.repeat(90)}`) },
    });
    expect(big.json.error?.fields).toEqual([expect.objectContaining({ path: 'evidence', code: 'evidence_too_large' })]);
  });

  it('should take the evidence the extension sends: payment, app, handle and wallet signals, title, URLs and redirects', async () => {
    const a = await newOrg('analyst');
    const res = await flag(a.keys.analyst, {
      target: 'fine-evidence-demo.net',
      reason: 'payment_front',
      evidence: {
        title: 'Undress Demo: AI photo studio (synthetic test page)',
        url: 'https://shop.fine-evidence-demo.net/pricing',
        canonicalUrl: 'https://fine-evidence-demo.net/',
        redirectChain: ['https://fine-evidence-demo.net/go', 'https://checkout.fine-pay-demo.net/checkout'],
        signals: [
          { type: 'stripe_js', value: 'https://js.stripe.com/v3/' },
          { type: 'stripe_publishable_key', value: 'pk_live_DemoDemoDemoDemoDemo0001' },
          { type: 'stripe_account', value: 'acct_1UndressDemo0001A' },
          { type: 'paypal_merchant', value: 'DEMOMERCHANT7' },
          { type: 'wallet', value: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4' },
          { type: 'app_link', value: 'https://apps.apple.com/us/app/undress-demo/id6400000001' },
          { type: 'handle', value: 'https://t.me/undress_demo_bot' },
        ],
      },
    });
    expect(res.status).toBe(201);
  });
});

describe("the operator's own domains, apps and handles", () => {
  const deployment = (vars: Record<string, string>) => ({ ...env, ...vars }) as Env;

  it('should never be listable: the configured ones and the domain the API is served from', () => {
    const protect = protectedTargets(deployment({ PROTECTED_DOMAINS: 'operator-demo.net' }), 'https://api.flagline-demo.org/v1/flags');
    expect(protect.domains).toEqual(['operator-demo.net', 'flagline-demo.org']);
    for (const target of ['operator-demo.net', 'https://www.operator-demo.net/pay', 'host:cdn.flagline-demo.org']) {
      expect(() => parseTargets([{ target }], () => 'target', protect)).toThrow(/own domain and is never listed/);
    }
    expect(parseTargets([{ target: 'someone-else-demo.net' }], () => 'target', protect)).toEqual([{ kind: 'domain', value: 'someone-else-demo.net' }]);
    // Served from an address or a local name, only the configured ones apply.
    expect(protectedTargets(deployment({ PROTECTED_DOMAINS: '' }), 'http://127.0.0.1:8787/v1/flags').domains).toEqual([]);
  });

  it('should never list the apps and handles named in PROTECTED_IDENTIFIERS, however they are pasted', () => {
    const protect = protectedTargets(
      deployment({ PROTECTED_IDENTIFIERS: 'app:android:com.operator.demo, handle:telegram:operator_demo_bot' }),
      'https://api.flagline-demo.org/v1/flags',
    );
    for (const target of ['https://play.google.com/store/apps/details?id=com.operator.demo', 'android:com.Operator.Demo', '@operator_demo_bot']) {
      expect(() => parseTargets([{ target }], () => 'target', protect)).toThrow(/protected by this deployment/);
    }
    expect(parseTargets([{ target: 'android:com.nudify.demo' }], () => 'target', protect)).toEqual([{ kind: 'app', value: 'android:com.nudify.demo' }]);
  });
});
