import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalList } from '../../shared/client';
import { call, db, flag, newOrg, operatorOrg } from './helpers';

// One appeal for all partners: the operator of a listed service contests it, publicly, with a token to follow it.
// The appeal opens a case for the operator's reviewers; the listing stands until one of them decides.
let orgs: Awaited<ReturnType<typeof newOrg>>[];
let reviewer: string;
let reader: string;
let admin: string;
let client = 0;

/** Each test speaks from its own address: the dispute limit (5 a minute) counts per client. */
const from = () => ({ 'cf-connecting-ip': `198.51.100.${++client}` });
const listed = async (target: string) => {
  for (const org of orgs) await flag(org.keys.analyst, { target, reason: 'nudify_site' });
};
const dispute = (target: string, headers = from(), statement = 'We run a photo editor; nothing on it undresses anyone.') =>
  call('POST', '/v1/disputes', { body: { target, contact: 'legal@editor-demo.net', statement }, headers });
const statusOf = (token: string) => call('POST', '/v1/disputes/status', { body: { token }, headers: from() });
const statusInList = async (value: string) =>
  (await call('GET', `/v1/lookup?q=${encodeURIComponent(value)}`, { key: reader })).json as unknown as { status: string };

beforeAll(async () => {
  orgs = await Promise.all([newOrg('analyst'), newOrg('analyst')]);
  const operator = await operatorOrg('reviewer', 'reader', 'admin');
  ({ reviewer, reader, admin } = operator.keys);
});

describe('POST /v1/disputes', () => {
  it('should open a case that changes nothing partners see, and give a token shown once', async () => {
    await listed('contested-demo.net');
    const answer = await dispute('https://contested-demo.net/pricing');
    expect(answer.status).toBe(201);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.json.token).toMatch(/^fld_[A-Za-z0-9_-]{43}$/);
    expect(answer.json.dispute).toMatchObject({ indicator: { kind: 'domain', value: 'contested-demo.net' }, outcome: 'open', resolvedAt: null });
    expect(Date.parse(answer.json.dispute.deadline) - Date.parse(answer.json.dispute.createdAt)).toBe(14 * 86_400_000);
    expect((await statusInList('contested-demo.net')).status).toBe('listed');
    const csv = (await call('GET', '/v1/list?format=csv', { key: reader })).text;
    expect(csv).toMatch(/domain,contested-demo\.net,listed/);
    // Only the token's hash is kept.
    const stored = await db().prepare('SELECT token_hash FROM disputes WHERE id = ?1').bind(answer.json.dispute.id).first<{ token_hash: string }>();
    expect(stored!.token_hash).not.toContain(answer.json.token.slice(4));
  });

  it('should read a dispute by its own token only, and nothing by any other', async () => {
    await listed('first-contest-demo.net');
    await listed('second-contest-demo.net');
    const a = await dispute('first-contest-demo.net');
    const b = await dispute('second-contest-demo.net');
    const readA = await statusOf(a.json.token);
    expect([readA.status, readA.json.id, readA.json.indicator.value]).toEqual([200, a.json.dispute.id, 'first-contest-demo.net']);
    expect(Object.keys(readA.json).sort()).toEqual(['createdAt', 'deadline', 'id', 'indicator', 'outcome', 'resolution', 'resolvedAt']);
    expect((await statusOf(b.json.token)).json.id).toBe(b.json.dispute.id);
    expect((await statusOf(`fld_${'A'.repeat(43)}`)).status).toBe(404);
    expect((await statusOf('not-a-token')).status).toBe(400);
    // The token is not an API key.
    expect((await call('GET', '/v1/whoami', { key: a.json.token })).status).toBe(401);
  });

  it('should refuse what cannot be contested, with clear codes', async () => {
    expect((await dispute('contested-demo.net', from(), 'too short')).json.error?.code).toBe('invalid_request');
    // Encoded data does not fit in a statement: an image is refused outright, any other long base64 run by the schema.
    const image = await dispute('contested-demo.net', from(), `See ${'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8'.repeat(3)}`);
    expect([image.status, image.json.error?.code]).toEqual([422, 'image_data_refused']);
    const encoded = await dispute('contested-demo.net', from(), `Our logo: ${'Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZg'.repeat(2)}`);
    expect([encoded.status, encoded.json.error?.fields?.[0]?.code]).toEqual([400, 'encoded_data_refused']);
    const huge = await call('POST', '/v1/disputes', {
      body: { target: 'contested-demo.net', contact: 'a@b-demo.net', statement: 'x'.repeat(20_000) },
      headers: from(),
    });
    expect([huge.status, huge.json.error?.code]).toEqual([413, 'payload_too_large']);
  });

  it('should count disputes per client address: the sixth in a minute is refused with 429', async () => {
    await listed('busy-contest-demo.net');
    const headers = from();
    const minute = Math.floor(Date.now() / 60_000);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await dispute('busy-contest-demo.net', headers)).status);
    if (Math.floor(Date.now() / 60_000) !== minute) return; // straddled the limiter's window: the count restarted
    expect(answers).toEqual([201, 201, 201, 201, 201, 429]);
    expect((await dispute('busy-contest-demo.net')).status).toBe(201);
  });
});

describe('resolving a dispute', () => {
  it('should record a delisting for the disputer and reach a syncing partner as a tombstone', async () => {
    await listed('delisted-after-appeal-demo.net');
    const start = (await call('GET', '/v1/list', { key: reader })).json;
    const partner = await LocalList.fromSnapshot(start);
    expect(partner.entries.get('domain:delisted-after-appeal-demo.net')).toMatchObject({ status: 'listed' });
    const opened = await dispute('delisted-after-appeal-demo.net');
    const decided = await call('POST', '/v1/indicators/delist', {
      key: reviewer,
      body: {
        target: 'delisted-after-appeal-demo.net',
        reason: 'Editor confirmed by Demo Payments ticket 4411',
        publicReason: 'We checked the site: it edits photos and does not undress anyone.',
      },
    });
    expect(decided.status).toBe(200);
    const read = await statusOf(opened.json.token);
    expect(read.json).toMatchObject({
      outcome: 'removed',
      resolution: 'We checked the site: it edits photos and does not undress anyone.',
      resolvedAt: expect.any(String),
    });
    // The appellant never reads the audit reason.
    expect(read.text).not.toContain('Demo Payments');
    const page = (await call('GET', `/v1/changes?since=${start.version}&limit=1000`, { key: reader })).json;
    expect(page.changes.filter((c) => c.value === 'delisted-after-appeal-demo.net').map((c) => [c.op, c.status])).toEqual([['remove', null]]);
    expect(await partner.applyPage(page)).toBe(true);
    expect(partner.entries.has('domain:delisted-after-appeal-demo.net')).toBe(false);
    // The audit log keeps the dispute and the decision; only an admin reads it.
    const audit = (await call('GET', '/v1/admin/audit?limit=100', { key: admin })).json;
    expect(audit.events.map((e) => e.action)).toEqual(expect.arrayContaining(['dispute.opened', 'indicator.delist']));
  });

  it('should record that the listing was kept when a reviewer confirms it, with a neutral answer when the reviewer wrote none', async () => {
    await listed('kept-after-appeal-demo.net');
    const opened = await dispute('kept-after-appeal-demo.net');
    await call('POST', '/v1/indicators/confirm', {
      key: reviewer,
      body: { target: 'kept-after-appeal-demo.net', reason: 'Checkout sells undressing credits (org_internal_code 7)' },
    });
    expect((await statusOf(opened.json.token)).json).toMatchObject({ outcome: 'kept', resolution: 'A reviewer looked at this listing and kept it.' });
    expect((await statusInList('kept-after-appeal-demo.net')).status).toBe('listed');
  });
});

describe('a contested listing that leaves the list without a decision', () => {
  it('should keep its case open for a reviewer’s answer: a withdrawal is not a decision', async () => {
    const ids = [];
    for (const org of orgs)
      ids.push((await flag(org.keys.analyst, { target: 'withdrawn-under-dispute-demo.net', reason: 'nudify_site' })).json.results[0]!.flagId);
    const opened = await dispute('withdrawn-under-dispute-demo.net');
    const withdrawn = await call('POST', `/v1/flags/${ids[0]}/withdraw`, { key: orgs[0]!.keys.analyst, body: { reason: 'flagged the wrong site' } });
    expect(withdrawn.status).toBe(200);
    expect((await statusInList('withdrawn-under-dispute-demo.net')).status).toBe('reported');
    expect((await statusOf(opened.json.token)).json).toMatchObject({ outcome: 'open', resolution: null });
    const answered = await call('POST', '/v1/review/appeals/answer', {
      key: reviewer,
      body: { target: 'withdrawn-under-dispute-demo.net', reason: 'withdrawn by the flagger', publicReason: 'It is no longer listed.' },
    });
    expect(answered.json).toMatchObject({ outcome: 'removed', answered: 1 });
    expect((await statusOf(opened.json.token)).json).toMatchObject({ outcome: 'removed', resolution: 'It is no longer listed.' });
  });
});

describe('/appeal, the public page', () => {
  const page = (path: string, init: RequestInit = {}) => exports.default.fetch(new Request(`https://flagline.test${path}`, init));
  // A browser posting the page's own form says where it comes from.
  const post = (path: string, fields: Record<string, string>, headers = from()) =>
    page(path, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://flagline.test', 'sec-fetch-site': 'same-origin', ...headers },
    });

  it('should serve a plain HTML form under a strict CSP, with no script', async () => {
    const res = await page('/appeal');
    const html = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(html).toContain('<form method="post" action="/appeal">');
    expect(html).not.toMatch(/<script/i);
  });

  it('should take a dispute from the form, show the token once, and read its status from the status form', async () => {
    await listed('form-contest-demo.net');
    const sent = await post('/appeal', {
      target: 'form-contest-demo.net',
      contact: 'owner@form-demo.net',
      statement: 'This is our photo editor, no undressing at all.',
    });
    const html = await sent.text();
    expect([sent.status, sent.headers.get('cache-control')]).toEqual([201, 'no-store']);
    const token = /fld_[A-Za-z0-9_-]{43}/.exec(html)?.[0];
    expect(token).toBeDefined();
    const status = await post('/appeal/status', { token: token! });
    expect(await status.text()).toContain('Open: reviewers are deciding');
  });

  it('should show a refusal on the page itself, escaped, keeping what was typed', async () => {
    const res = await post('/appeal', { target: '<b>bad target</b>-demo.net', contact: 'x@y-demo.net', statement: 'short' });
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(html).toContain('role="alert"');
    expect(html).toContain('&lt;b&gt;bad target&lt;/b&gt;-demo.net');
    expect(html).not.toContain('<b>bad target</b>');
  });
});

describe('the review queue (GET /v1/review/queue)', () => {
  it('should put open cases first by deadline, then reports, with the appeal itself and evidence summarized, and no organization named', async () => {
    await listed('queued-dispute-demo.net');
    await dispute('queued-dispute-demo.net', from(), 'We are a photo studio; our checkout sells prints only.');
    const [one] = orgs;
    await flag(one!.keys.analyst, {
      target: 'queued-report-demo.net',
      reason: 'payment_front',
      evidence: { title: 'Checkout', signals: [{ type: 'stripe_js', value: 'https://js.stripe.com/v3' }] },
    });
    const queue = await call('GET', '/v1/review/queue?limit=200', { key: reviewer });
    expect(queue.status).toBe(200);
    const items = (
      queue.json as unknown as {
        items: { indicator: { value: string }; why: string; overdue: boolean; openDisputes: number; signals: unknown[]; appeals: unknown[] }[];
      }
    ).items;
    const disputed = items.find((i) => i.indicator.value === 'queued-dispute-demo.net')!;
    const reported = items.find((i) => i.indicator.value === 'queued-report-demo.net')!;
    expect(disputed).toMatchObject({ why: 'dispute', overdue: false, openDisputes: 1, indicator: { status: 'listed' } });
    expect(disputed.appeals).toEqual([
      expect.objectContaining({ from: 'public', contact: 'legal@editor-demo.net', statement: 'We are a photo studio; our checkout sells prints only.' }),
    ]);
    expect(reported).toMatchObject({
      why: 'report',
      indicator: { status: 'reported', orgCount: 1, reasons: ['payment_front'] },
      signals: [{ type: 'stripe_js', count: 1 }],
    });
    expect(items.findIndex((i) => i === disputed)).toBeLessThan(items.findIndex((i) => i === reported));
    expect(queue.text).not.toContain(one!.org.id);
  });

  it('should be the operator reviewers’ alone', async () => {
    expect((await call('GET', '/v1/review/queue', { key: orgs[0]!.keys.analyst })).status).toBe(403);
    expect((await call('GET', '/v1/review/queue', { key: reader })).status).toBe(403);
  });
});
