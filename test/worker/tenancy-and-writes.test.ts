import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { LocalList } from '../../shared/client';
import { newKeyStatement } from '../../worker/src/db/keys';
import { writeList } from '../../worker/src/services/write';
import { call, db, flag, newOrg, operatorOrg } from './helpers';

const indicatorRow = (value: string) =>
  db()
    .prepare("SELECT status, org_count, confirmed FROM indicators WHERE kind = 'domain' AND value = ?1")
    .bind(value)
    .first<{ status: string; org_count: number; confirmed: number }>();

describe('tenancy', () => {
  describe('operator admin', () => {
    it('should create, list and reach every organization, its keys, flags and audit rows', async () => {
      const op = await operatorOrg('admin');
      const created = await call('POST', '/v1/admin/orgs', {
        key: op.keys.admin,
        body: { name: `Member ${crypto.randomUUID().slice(0, 6)}`, kind: 'app_store' },
      });
      expect(created.status).toBe(201);
      const key = await call('POST', `/v1/admin/orgs/${created.json.id}/keys`, { key: op.keys.admin, body: { role: 'analyst', label: 'reviewer laptop' } });
      expect(key.status).toBe(201);
      await flag(key.json.key, { target: 'op-sees-demo.net', reason: 'nudify_site', note: 'seen in onboarding' });

      expect((await call('GET', '/v1/admin/orgs', { key: op.keys.admin })).json.orgs.map((o: { id: string }) => o.id)).toContain(created.json.id);
      expect((await call('GET', `/v1/admin/orgs/${created.json.id}/keys`, { key: op.keys.admin })).json.keys).toHaveLength(1);
      const flags = await call('GET', '/v1/admin/flags?target=op-sees-demo.net', { key: op.keys.admin });
      expect(flags.json.flags).toEqual([expect.objectContaining({ orgId: created.json.id, note: 'seen in onboarding' })]);
      const audit = await call('GET', `/v1/admin/audit?subject=${created.json.id}`, { key: op.keys.admin });
      expect(audit.json.events).toEqual([expect.objectContaining({ action: 'org.created', actorOrgId: op.org.id })]);
    });

    it('should say in whoami that the key is the operator’s', async () => {
      const op = await operatorOrg('reviewer');
      const member = await newOrg('analyst');
      expect((await call('GET', '/v1/whoami', { key: op.keys.reviewer })).json).toMatchObject({
        operator: true,
        key: { role: 'reviewer' },
        org: { kind: 'operator' },
      });
      expect((await call('GET', '/v1/whoami', { key: member.keys.analyst })).json).toMatchObject({
        operator: false,
        org: { id: member.org.id, suspendedAt: null },
      });
    });

    it('should refuse a second operator organization and a reviewer key in a member organization', async () => {
      const op = await operatorOrg('admin');
      const member = await newOrg();
      const second = await call('POST', '/v1/admin/orgs', { key: op.keys.admin, body: { name: 'Second Operator Demo', kind: 'operator' } });
      expect([second.status, second.json.error?.code]).toEqual([422, 'operator_exists']);
      const reviewer = await call('POST', `/v1/admin/orgs/${member.org.id}/keys`, { key: op.keys.admin, body: { role: 'reviewer', label: 'x' } });
      expect([reviewer.status, reviewer.json.error?.code]).toEqual([422, 'role_not_allowed']);
      expect((await call('POST', `/v1/admin/orgs/${op.org.id}/keys`, { key: op.keys.admin, body: { role: 'reviewer', label: 'trust desk' } })).status).toBe(
        201,
      );
    });
  });

  describe('member admin', () => {
    it('should create, list and revoke its own organization’s keys', async () => {
      const m = await newOrg('admin');
      const key = await call('POST', `/v1/admin/orgs/${m.org.id}/keys`, { key: m.keys.admin, body: { role: 'reader', label: 'sync job' } });
      expect(key.status).toBe(201);
      expect((await call('GET', `/v1/admin/orgs/${m.org.id}/keys`, { key: m.keys.admin })).json.keys.map((k: { role: string }) => k.role).sort()).toEqual([
        'admin',
        'reader',
      ]);
      expect((await call('POST', `/v1/admin/keys/${key.json.id}/revoke`, { key: m.keys.admin })).status).toBe(200);
      expect((await call('GET', '/v1/whoami', { key: key.json.key })).status).toBe(401);
    });

    it('should get 404 for another organization’s keys and for the operator’s, and change nothing', async () => {
      const m = await newOrg('admin');
      const other = await newOrg('analyst');
      const op = await operatorOrg('admin');
      for (const orgId of [other.org.id, op.org.id]) {
        expect((await call('POST', `/v1/admin/orgs/${orgId}/keys`, { key: m.keys.admin, body: { role: 'admin', label: 'takeover' } })).status).toBe(404);
        expect((await call('GET', `/v1/admin/orgs/${orgId}/keys`, { key: m.keys.admin })).status).toBe(404);
      }
      for (const keyId of [other.keyIds.analyst, op.keyIds.admin]) {
        const res = await call('POST', `/v1/admin/keys/${keyId}/revoke`, { key: m.keys.admin });
        expect([res.status, res.json.error?.code]).toEqual([404, 'not_found']);
      }
      expect((await call('GET', '/v1/whoami', { key: other.keys.analyst })).status).toBe(200);
      expect((await call('GET', '/v1/whoami', { key: op.keys.admin })).status).toBe(200);
      const takeover = await db().prepare("SELECT COUNT(*) AS n FROM api_keys WHERE label = 'takeover'").first<{ n: number }>();
      expect(takeover!.n).toBe(0);
    });

    it('should be refused organization powers: create, list, suspend', async () => {
      const m = await newOrg('admin');
      const other = await newOrg();
      expect((await call('POST', '/v1/admin/orgs', { key: m.keys.admin, body: { name: 'Sybil Demo', kind: 'other' } })).json.error?.code).toBe('forbidden');
      expect((await call('GET', '/v1/admin/orgs', { key: m.keys.admin })).status).toBe(403);
      expect((await call('POST', `/v1/admin/orgs/${other.org.id}/suspend`, { key: m.keys.admin })).status).toBe(403);
    });

    it('should ask for a reviewer key in its own organization and get 422 role_not_allowed', async () => {
      const m = await newOrg('admin');
      const res = await call('POST', `/v1/admin/orgs/${m.org.id}/keys`, { key: m.keys.admin, body: { role: 'reviewer', label: 'self-promotion' } });
      expect([res.status, res.json.error?.code]).toEqual([422, 'role_not_allowed']);
    });

    it('should read only its own flags and audit rows', async () => {
      const m = await newOrg('admin', 'analyst');
      const other = await newOrg('analyst');
      await flag(other.keys.analyst, { target: 'others-only-demo.net', reason: 'nudify_site', note: 'private to other' });
      await flag(m.keys.analyst, { target: 'both-flagged-demo.net', reason: 'nudify_site' });
      await flag(other.keys.analyst, { target: 'both-flagged-demo.net', reason: 'affiliate', note: 'private to other' });

      const none = await call('GET', '/v1/admin/flags?target=others-only-demo.net', { key: m.keys.admin });
      expect([none.status, none.text.includes('private')]).toEqual([404, false]);
      const mine = await call('GET', '/v1/admin/flags?target=both-flagged-demo.net', { key: m.keys.admin });
      expect(mine.json.flags.map((f: { orgId: string }) => f.orgId)).toEqual([m.org.id]);

      const audit = await call('GET', '/v1/admin/audit?limit=1000', { key: m.keys.admin });
      expect(audit.json.events.length).toBeGreaterThan(0);
      for (const event of audit.json.events) expect([event.actorOrgId, event.details?.orgId ?? m.org.id]).toContain(m.org.id);
      expect(audit.text).not.toContain(other.org.id);
    });
  });

  it('should keep decisions for the operator’s reviewers: a member’s reviewer key decides nothing', async () => {
    const member = await newOrg('analyst');
    // A reviewer key written straight to D1, as one minted before roles were tied to the operator would be.
    const legacy = await newKeyStatement(db(), member.org.id, 'reviewer', 'legacy reviewer');
    await legacy.statement.run();
    await flag(member.keys.analyst, { target: 'legacy-review-demo.net', reason: 'nudify_site' });
    for (const action of ['confirm', 'reject', 'delist']) {
      const res = await call('POST', `/v1/indicators/${action}`, {
        key: legacy.secret,
        body: { target: 'legacy-review-demo.net', reason: 'trying to decide' },
      });
      expect([res.status, res.json.error?.code]).toEqual([403, 'forbidden']);
    }
    const never = await call('POST', '/v1/indicators/confirm', {
      key: legacy.secret,
      body: { target: 'never-flagged-legacy-demo.net', reason: 'straight onto the list' },
    });
    expect(never.status).toBe(403);
    expect((await indicatorRow('legacy-review-demo.net'))!.status).toBe('reported');
  });
});

describe('suspension', () => {
  it('should stop the keys at once, stop counting the flags, recount what they held up, and reverse on reinstatement', async () => {
    const op = await operatorOrg('admin', 'reader');
    const [a, b] = [await newOrg('analyst'), await newOrg('analyst', 'reader')];
    for (const o of [a, b]) await flag(o.keys.analyst, { target: 'suspend-me-demo.net', reason: 'nudify_site' });
    expect((await indicatorRow('suspend-me-demo.net'))!.status).toBe('listed');
    const before = (await call('GET', '/v1/list', { key: op.keys.reader })).json.version;

    const suspended = await call('POST', `/v1/admin/orgs/${b.org.id}/suspend`, { key: op.keys.admin });
    expect(suspended.json).toMatchObject({ id: b.org.id, suspendedAt: expect.any(String), indicatorsRecounted: 1 });
    for (const key of Object.values(b.keys)) {
      const res = await call('GET', '/v1/whoami', { key });
      expect([res.status, res.json.error?.code]).toEqual([403, 'org_suspended']);
    }
    expect(await indicatorRow('suspend-me-demo.net')).toMatchObject({ status: 'reported', org_count: 1 });
    const removed = (await call('GET', `/v1/changes?since=${before}`, { key: op.keys.reader })).json.changes;
    expect(removed).toEqual([expect.objectContaining({ op: 'remove', value: 'suspend-me-demo.net' })]);
    const audit = (await call('GET', `/v1/admin/audit?limit=1000&after=0`, { key: op.keys.admin })).json.events;
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'org.suspended', subjectId: b.org.id }),
        expect.objectContaining({ action: 'indicator.recounted', fromStatus: 'listed', toStatus: 'reported' }),
      ]),
    );
    expect((await call('POST', `/v1/admin/orgs/${b.org.id}/suspend`, { key: op.keys.admin })).json.error?.code).toBe('invalid_transition');

    const reinstated = await call('POST', `/v1/admin/orgs/${b.org.id}/reinstate`, { key: op.keys.admin });
    expect(reinstated.json).toMatchObject({ suspendedAt: null, indicatorsRecounted: 1 });
    expect((await call('GET', '/v1/whoami', { key: b.keys.reader })).status).toBe(200);
    expect(await indicatorRow('suspend-me-demo.net')).toMatchObject({ status: 'listed', org_count: 2 });
  });

  it('should leave a reviewer-confirmed listing standing, and never suspend the operator', async () => {
    const op = await operatorOrg('admin', 'reviewer');
    const a = await newOrg('analyst');
    await flag(a.keys.analyst, { target: 'confirmed-stays-demo.net', reason: 'nudify_site' });
    await call('POST', '/v1/indicators/confirm', { key: op.keys.reviewer, body: { target: 'confirmed-stays-demo.net', reason: 'checked the checkout' } });
    await call('POST', `/v1/admin/orgs/${a.org.id}/suspend`, { key: op.keys.admin });
    expect(await indicatorRow('confirmed-stays-demo.net')).toMatchObject({ status: 'listed', org_count: 0, confirmed: 1 });
    expect((await call('POST', `/v1/admin/orgs/${op.org.id}/suspend`, { key: op.keys.admin })).json.error?.code).toBe('invalid_transition');
    expect((await call('POST', '/v1/admin/orgs/org_missing/suspend', { key: op.keys.admin })).status).toBe(404);
  });
});

describe('independence', () => {
  it('should count one organization with ten analyst keys as one vote, and list nothing', async () => {
    const sybil = await newOrg('admin');
    const keys = [];
    for (let i = 0; i < 10; i++) {
      keys.push(
        (await call('POST', `/v1/admin/orgs/${sybil.org.id}/keys`, { key: sybil.keys.admin, body: { role: 'analyst', label: `analyst ${i}` } })).json.key,
      );
    }
    const results = await Promise.all(keys.map((key) => flag(key, { target: 'one-vote-demo.net', reason: 'nudify_site' })));
    expect(results.map((r) => r.json.results[0]?.outcome).sort()).toEqual(['accepted', ...Array(9).fill('already_flagged')]);
    expect(await indicatorRow('one-vote-demo.net')).toMatchObject({ status: 'reported', org_count: 1 });
  });

  it('should not count the operator’s own flags as a vote: its reviewers decide instead', async () => {
    const op = await operatorOrg('analyst');
    const a = await newOrg('analyst');
    await flag(op.keys.analyst, { target: 'operator-vote-demo.net', reason: 'nudify_site' });
    const res = await flag(a.keys.analyst, { target: 'operator-vote-demo.net', reason: 'nudify_site' });
    expect(res.json.results[0]).toMatchObject({ status: 'reported', orgCount: 1 });
  });
});

describe('the single writer', () => {
  it('should take concurrent flags on different and on the same indicators with no conflict and no lost update', async () => {
    const orgs = await Promise.all(Array.from({ length: 10 }, () => newOrg('analyst')));
    const reader = (await operatorOrg('reader')).keys.reader;
    const start = (await call('GET', '/v1/list', { key: reader })).json;
    const different = orgs.flatMap((o, i) => [0, 1, 2].map((j) => flag(o.keys.analyst, { target: `spread-${i}-${j}-demo.net`, reason: 'nudify_site' })));
    const same = orgs.map((o) => flag(o.keys.analyst, { target: 'contended-demo.net', reason: 'payment_front' }));
    const responses = await Promise.all([...different, ...same]);
    expect(responses.map((r) => r.status)).toEqual(Array(40).fill(201));

    expect(await indicatorRow('contended-demo.net')).toMatchObject({ status: 'listed', org_count: 10 });
    const flags = await db().prepare("SELECT COUNT(*) AS n FROM flags WHERE target LIKE 'spread-%' OR target = 'contended-demo.net'").first<{ n: number }>();
    expect(flags!.n).toBe(40);
    // The change log replays onto the earlier snapshot to exactly the list, checksum included.
    const copy = await LocalList.fromSnapshot(start);
    const page = (await call('GET', `/v1/changes?since=${start.version}&limit=10000`, { key: reader })).json;
    expect(page.changes.map((c: { version: number }) => c.version)).toEqual(page.changes.map((_: unknown, i: number) => start.version + i + 1));
    expect(await copy.applyPage(page)).toBe(true);
    expect(copy.checksum()).toBe((await call('GET', '/v1/list', { key: reader })).json.checksum);
  });

  it('should answer concurrent requests with one Idempotency-Key once, whatever order the body’s keys come in', async () => {
    const a = await newOrg('analyst');
    const key = crypto.randomUUID();
    const bodies = [
      { target: 'same-key-demo.net', reason: 'nudify_site', evidence: { title: 'Demo', signals: [{ type: 'stripe_js', value: 'https://js.stripe.com/v3' }] } },
      { evidence: { signals: [{ value: 'https://js.stripe.com/v3', type: 'stripe_js' }], title: 'Demo' }, reason: 'nudify_site', target: 'same-key-demo.net' },
    ];
    const responses = await Promise.all([...bodies, ...bodies].map((body) => flag(a.keys.analyst, body, key)));
    expect(new Set(responses.map((r) => r.json.results[0]?.flagId)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(3);
    const spaced = await call('POST', '/v1/flags', {
      key: a.keys.analyst,
      headers: { 'idempotency-key': key },
      body: `{ "reason" : "nudify_site",\n  "target": "same-key-demo.net", "evidence": ${JSON.stringify(bodies[1]!.evidence, null, 2)} }`,
    });
    expect([spaced.status, spaced.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    const count = await db().prepare("SELECT COUNT(*) AS n FROM flags WHERE target = 'same-key-demo.net'").first<{ n: number }>();
    expect(count!.n).toBe(1);
  });
});

describe('one bad write in a group', () => {
  it('should not sink the writes committed with it: each of its neighbours lands, the bad one alone fails', async () => {
    const orgs = await Promise.all(Array.from({ length: 10 }, () => newOrg('analyst')));
    const busy = await newOrg('analyst');
    /** A flag as the route hands it to the single writer. */
    const command = (member: (typeof orgs)[number], targets: string[]) =>
      writeList(env, {
        type: 'flag',
        caller: { keyId: member.keyIds.analyst, orgId: member.org.id, role: 'analyst', operator: false },
        claim: { orgId: member.org.id, key: crypto.randomUUID(), requestHash: crypto.randomUUID() },
        inputs: targets.map((target) => ({ target, reason: 'nudify_site' as const, indicator: { kind: 'domain' as const, value: target }, serviceKeys: [] })),
      }).then(
        (written) => written.status,
        () => 500,
      );
    await db().exec(
      "CREATE TRIGGER fail_poisoned BEFORE INSERT ON flags WHEN NEW.target = 'poisoned-group-demo.net' BEGIN SELECT RAISE(ABORT, 'forced failure'); END",
    );
    try {
      // The first (a batch of 250) keeps the writer committing while the others arrive; they plan and commit as one group.
      const [batch, poisoned, ...neighbours] = await Promise.all([
        command(
          busy,
          Array.from({ length: 250 }, (_, i) => `busy-${i}-group-demo.net`),
        ),
        command(orgs[0]!, ['poisoned-group-demo.net']),
        ...orgs.map((o, i) => command(o, [`neighbour-${i}-group-demo.net`])),
      ]);
      expect([batch, poisoned, ...neighbours]).toEqual([201, 500, ...orgs.map(() => 201)]);
      const landed = await db().prepare("SELECT COUNT(*) AS n FROM flags WHERE target LIKE 'neighbour-%-group-demo.net'").first<{ n: number }>();
      expect(landed!.n).toBe(10);
    } finally {
      await db().exec('DROP TRIGGER fail_poisoned');
    }
  });
});

describe('a write that fails halfway', () => {
  it('should leave no partial state, and land once when the client retries with its Idempotency-Key', async () => {
    const [a, b] = await Promise.all([newOrg('analyst'), newOrg('analyst')]);
    const reader = (await operatorOrg('reader')).keys.reader;
    expect((await flag(a.keys.analyst, { target: 'halfway-demo.net', reason: 'nudify_site' })).status).toBe(201);
    const before = (await call('GET', '/v1/list', { key: reader })).json;
    const counts = () =>
      db()
        .prepare(
          `SELECT (SELECT COUNT(*) FROM flags WHERE target = 'halfway-demo.net') AS flags,
                  (SELECT COUNT(*) FROM audit_log WHERE actor_org_id = ?1) AS audit,
                  (SELECT COUNT(*) FROM idempotency WHERE org_id = ?1) AS stored,
                  (SELECT COUNT(*) FROM changes WHERE value = 'halfway-demo.net') AS changes`,
        )
        .bind(b.org.id)
        .first();

    // The second organization's flag lists the domain: the batch saves the indicator, the flag, audit rows and
    // the stored response, and its last statement (the change row) is made to fail.
    await db().exec(
      "CREATE TRIGGER fail_halfway BEFORE INSERT ON changes WHEN NEW.value = 'halfway-demo.net' BEGIN SELECT RAISE(ABORT, 'forced failure'); END",
    );
    const key = crypto.randomUUID();
    const failed = await flag(b.keys.analyst, { target: 'halfway-demo.net', reason: 'nudify_site' }, key);
    expect([failed.status, failed.json.error?.code]).toEqual([500, 'internal_error']);
    expect(await counts()).toEqual({ flags: 1, audit: 0, stored: 0, changes: 0 });
    expect(await indicatorRow('halfway-demo.net')).toMatchObject({ status: 'reported', org_count: 1 });
    expect((await call('GET', '/v1/list', { key: reader })).json.version).toBe(before.version);

    await db().exec('DROP TRIGGER fail_halfway');
    const retried = await flag(b.keys.analyst, { target: 'halfway-demo.net', reason: 'nudify_site' }, key);
    expect([retried.status, retried.json.results[0]?.status]).toEqual([201, 'listed']);
    expect(await counts()).toMatchObject({ flags: 2, stored: 1, changes: 1 });
    expect(await indicatorRow('halfway-demo.net')).toMatchObject({ status: 'listed', org_count: 2 });
  });
});

describe('withdrawals', () => {
  const withdraw = (key: string, flagId: string, reason = 'flagged the wrong site') => call('POST', `/v1/flags/${flagId}/withdraw`, { key, body: { reason } });

  it('should let an organization take back its own flag: it stops counting, the indicator is recounted, and the log keeps both', async () => {
    const op = await operatorOrg('admin', 'reader');
    const [a, b] = [await newOrg('analyst', 'admin'), await newOrg('analyst')];
    const first = await flag(a.keys.analyst, { target: 'withdrawn-demo.net', reason: 'nudify_site' });
    await flag(b.keys.analyst, { target: 'withdrawn-demo.net', reason: 'nudify_site' });
    expect((await indicatorRow('withdrawn-demo.net'))!.status).toBe('listed');
    const before = (await call('GET', '/v1/list', { key: op.keys.reader })).json.version;

    const flagId = first.json.results[0]!.flagId;
    const res = await withdraw(a.keys.analyst, flagId);
    expect(res.json).toEqual({ flagId, indicator: expect.objectContaining({ status: 'reported', orgCount: 1 }) });
    expect((await call('GET', `/v1/changes?since=${before}`, { key: op.keys.reader })).json.changes).toEqual([
      expect.objectContaining({ op: 'remove', value: 'withdrawn-demo.net' }),
    ]);
    const audit = (await call('GET', `/v1/admin/audit?subject=${flagId}`, { key: op.keys.admin })).json.events.map((e) => e.action);
    expect(audit).toEqual(['flag.created', 'flag.withdrawn']);
    expect((await withdraw(a.keys.analyst, flagId)).json.error?.code).toBe('invalid_transition');
    // Flagging it again waits out the cool-down, so a member cannot flap the listing (test/worker/integrity.test.ts).
    expect((await flag(a.keys.analyst, { target: 'withdrawn-demo.net', reason: 'nudify_site' })).json.error?.code).toBe('cooling_down');
  });

  it("should keep other organizations' flags out of reach (404), and let the organization's admin withdraw too", async () => {
    const [a, b] = [await newOrg('analyst', 'admin'), await newOrg('analyst')];
    const mine = (await flag(a.keys.analyst, { target: 'others-withdraw-demo.net', reason: 'other' })).json.results[0]!.flagId;
    const res = await withdraw(b.keys.analyst, mine);
    expect([res.status, res.json.error?.code]).toEqual([404, 'not_found']);
    expect((await withdraw(a.keys.admin, mine)).status).toBe(200);
  });
});
