import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, grantedExtensionCopy, hasChromium, launchBrowser, startProxy, WorkerProcess, type Launched } from './harness';

if (!hasChromium && process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}: CI must install it (apt-get install chromium).`);

declare const chrome: typeof import('@wxt-dev/browser').browser;

// The people who run the list never need curl: reviewers decide from the queue, admins run keys and organizations.
describe.skipIf(!hasChromium)(`the reviewer and admin pages in Chromium${hasChromium ? '' : ` (skipped: no Chromium at ${CHROMIUM})`}`, () => {
  const worker = new WorkerProcess();
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let browser: Launched;
  let a: { orgId: string; keys: Record<string, string> };
  let b: { orgId: string; keys: Record<string, string> };
  let operator: { orgId: string; keys: Record<string, string> };

  const useKey = (apiKey: string) => browser.worker.evaluate(async (settings) => chrome.storage.local.set({ settings }), { endpoint: worker.endpoint, apiKey });
  const open = async (path: string): Promise<Page> => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
    return page;
  };
  const flagWith = (key: string, target: string, signals: unknown[] = []) =>
    worker.fetch('/v1/flags', key, {
      body: { target, reason: 'nudify_site', ...(signals.length ? { evidence: { signals } } : {}) },
      headers: { 'idempotency-key': crypto.randomUUID() },
    });
  const statusOf = async (target: string) => (await (await worker.fetch(`/v1/lookup?q=${target}`, operator.keys.reader!)).json()).status as string;

  /** Flags by both member organizations: listed by consensus (the threshold is 2). */
  const listBoth = async (target: string) => {
    for (const key of [a.keys.analyst!, b.keys.analyst!]) expect((await flagWith(key, target)).status).toBe(201);
  };
  const appealAgainst = async (target: string) => {
    const appeal = await worker.fetch('/v1/disputes', '', { body: { target, contact: `owner@${target}`, statement: 'We sell photo frames.' } });
    expect(appeal.status).toBe(201);
    return ((await appeal.json()) as { token: string }).token;
  };
  const reviewer = () => useKey(operator.keys.reviewer!);

  beforeAll(async () => {
    await worker.start();
    a = worker.createOrg('Console Demo A', ['analyst', 'admin']);
    b = worker.createOrg('Console Demo B', ['analyst']);
    operator = worker.createOrg('Console Demo Operator', ['reviewer', 'admin', 'reader'], 'operator');
    proxy = await startProxy(() => worker.port);
    browser = await launchBrowser(grantedExtensionCopy(), proxy.port);
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  });

  afterAll(async () => {
    await browser?.context.close();
    await proxy?.close();
    await worker.dispose();
  });

  describe('the review queue', () => {
    it('should show what waits, appeals first, each with its evidence summarized and the decisions the rules allow', async () => {
      // A report, a listing under appeal, and a brand of two reports tied by one merchant id.
      expect((await flagWith(a.keys.analyst!, 'queue-report-demo.net')).status).toBe(201);
      await listBoth('queue-appeal-demo.net');
      await appealAgainst('queue-appeal-demo.net');
      const merchant = [{ type: 'stripe_account', value: 'acct_1QueueBrandDemo01' }];
      for (const target of ['queue-brand-demo.net', 'queue-pay-demo.net']) expect((await flagWith(a.keys.analyst!, target, merchant)).status).toBe(201);
      await reviewer();
      const queue = await open('review.html');
      await expect.poll(() => queue.locator('tr[data-item="domain:queue-pay-demo.net"]').count()).toBe(1);
      const why = await queue.locator('#items tr td:nth-child(2)').evaluateAll((els) => els.map((e) => e.textContent!.split(' ')[0]));
      expect(why.indexOf('Corroboration')).toBeGreaterThan(why.lastIndexOf('Appeal'));
      const appeal = queue.locator('tr[data-item="domain:queue-appeal-demo.net"]');
      expect(await appeal.innerText()).toMatch(
        /Appeal due [\s\S]*1 open appeal[\s\S]*2 organizations: Nudify site[\s\S]*Appeal from owner@queue-appeal-demo\.net[\s\S]*We sell photo frames\./,
      );
      expect(await appeal.locator('button[data-decide]').evaluateAll((els) => els.map((e) => e.getAttribute('data-decide')))).toEqual(['confirm', 'delist']);
      const report = queue.locator('tr[data-item="domain:queue-report-demo.net"]');
      expect(await report.locator('button[data-decide]').evaluateAll((els) => els.map((e) => e.getAttribute('data-decide')))).toEqual(['confirm', 'reject']);
      expect(await queue.locator('tr[data-item="domain:queue-brand-demo.net"]').innerText()).toMatch(
        /Service: queue-brand-demo\.net \(proposed\)[\s\S]*stripe_account ×1/,
      );
      // The evidence itself, and one service's items side by side under its name.
      expect(await queue.locator('tr[data-item="domain:queue-brand-demo.net"] details[data-evidence]').textContent()).toContain(
        'stripe_account: acct_1QueueBrandDemo01',
      );
      expect(await queue.locator('tr[data-group]').allInnerTexts()).toContainEqual(expect.stringMatching(/^queue-brand-demo\.net: 2 waiting/));
      // Organizations are counted, never named.
      expect(await queue.locator('body').innerText()).not.toMatch(/Console Demo [AB]/);
      await queue.close();
    });

    it('should refuse a decision without a reason, and record one with it', async () => {
      expect((await flagWith(a.keys.analyst!, 'reason-report-demo.net')).status).toBe(201);
      await reviewer();
      const queue = await open('review.html');
      const report = queue.locator('tr[data-item="domain:reason-report-demo.net"]');
      await report.locator('button[data-decide=reject]').click();
      await expect.poll(() => report.locator('[role=status]').innerText()).toMatch(/Write why first/);
      expect(await statusOf('reason-report-demo.net')).toBe('reported');
      await report.locator('textarea').fill('A wedding photographer; nothing undresses anyone.');
      await report.locator('button[data-decide=reject]').click();
      await expect.poll(() => report.locator('.decided').innerText()).toBe('Decided: reported → delisted.');
      expect(await statusOf('reason-report-demo.net')).toBe('delisted');
      const audit = worker.query<{ action: string; reason: string }>(
        "SELECT action, reason FROM audit_log WHERE action = 'indicator.reject' ORDER BY id DESC LIMIT 1",
      );
      expect(audit).toEqual([{ action: 'indicator.reject', reason: 'A wedding photographer; nothing undresses anyone.' }]);
      await queue.close();
    });

    it('should decide on an appeal with the keyboard alone', async () => {
      await listBoth('keyboard-appeal-demo.net');
      const token = await appealAgainst('keyboard-appeal-demo.net');
      await reviewer();
      const queue = await open('review.html');
      const appeal = queue.locator('tr[data-item="domain:keyboard-appeal-demo.net"]');
      await appeal.locator('textarea').first().focus();
      await queue.keyboard.type('The appeal holds: the shop sells frames.');
      await queue.keyboard.press('Tab'); // the answer the appellant reads
      await queue.keyboard.type('We checked: the shop sells photo frames.');
      await queue.keyboard.press('Tab'); // Confirm (list)
      await queue.keyboard.press('Tab'); // Delist
      expect(await queue.evaluate(() => document.activeElement?.getAttribute('data-decide'))).toBe('delist');
      await queue.keyboard.press('Enter');
      await expect.poll(() => appeal.locator('.decided').innerText()).toBe('Decided: listed → delisted.');
      expect(await statusOf('keyboard-appeal-demo.net')).toBe('delisted');
      const answer = await worker.fetch('/v1/disputes/status', '', { body: { token } });
      expect(await answer.json()).toMatchObject({ outcome: 'removed', resolution: 'We checked: the shop sells photo frames.' });
      await queue.close();
    });

    it('should list a whole service in one decision', async () => {
      const merchant = [{ type: 'stripe_account', value: 'acct_1WholeBrandDemo01' }];
      for (const target of ['whole-brand-demo.net', 'whole-pay-demo.net']) expect((await flagWith(a.keys.analyst!, target, merchant)).status).toBe(201);
      await reviewer();
      const queue = await open('review.html');
      const brand = queue.locator('tr[data-item="domain:whole-brand-demo.net"]');
      await brand.locator('textarea').fill('Checkout sells undressing credits; the mirror shares its merchant.');
      await brand.locator('select[data-scope]').selectOption('service');
      // The reviewer sees every indicator the decision moves, reported ones too, before deciding.
      await expect
        .poll(() => brand.locator('[data-service-members] li').allInnerTexts())
        .toEqual(['This decision applies to 2 indicators:', 'domain:whole-brand-demo.net reported 1 org', 'domain:whole-pay-demo.net reported 1 org']);
      await brand.locator('button[data-decide=confirm]').click();
      await expect.poll(() => brand.locator('.decided').innerText()).toBe('2 indicators of whole-brand-demo.net decided, 0 left as they were.');
      expect([await statusOf('whole-brand-demo.net'), await statusOf('whole-pay-demo.net')]).toEqual(['listed', 'listed']);
      await queue.close();
    });

    it('should mark a new front of a listed service as its mirror, and confirm it in one step', async () => {
      const merchant = [{ type: 'stripe_account', value: 'acct_1MirrorQueueDemo1' }];
      for (const key of [a.keys.analyst!, b.keys.analyst!]) expect((await flagWith(key, 'mirrored-brand-demo.net', merchant)).status).toBe(201);
      expect((await flagWith(a.keys.analyst!, 'fresh-front-mirror-demo.net', merchant)).status).toBe(201);
      await reviewer();
      const queue = await open('review.html');
      const front = queue.locator('tr[data-item="domain:fresh-front-mirror-demo.net"]');
      await expect.poll(() => front.locator('[data-mirror-of]').innerText()).toBe('Mirror of a listed service: mirrored-brand-demo.net');
      await front.locator('textarea').fill('Same merchant account as the listed brand: a new front.');
      await front.locator('button[data-decide=confirm]').click();
      await expect.poll(() => statusOf('fresh-front-mirror-demo.net')).toBe('listed');
      await queue.close();
    });

    it('should rename, merge and split services from the page', async () => {
      const merchant = (id: string) => [{ type: 'stripe_account', value: id }];
      const listWith = async (target: string, account: string) => {
        for (const key of [a.keys.analyst!, b.keys.analyst!]) expect((await flagWith(key, target, merchant(account))).status).toBe(201);
      };
      await listWith('svc-one-demo.net', 'acct_1ServiceOneDemo01');
      await listWith('svc-stray-demo.net', 'acct_1ServiceOneDemo01');
      await listWith('svc-two-demo.net', 'acct_1ServiceTwoDemo01');
      const serviceOf = async (target: string) => (await (await worker.fetch(`/v1/lookup?q=${target}`, operator.keys.reader!)).json()).service as string;
      const [one, two] = [await serviceOf('svc-one-demo.net'), await serviceOf('svc-two-demo.net')];
      await reviewer();
      const page = await open('review.html');
      await page.fill('#service-id', one);
      await page.click('#open-service button[type=submit]');
      await expect.poll(() => page.locator('#service-heading').innerText()).toBe(`svc-one-demo.net (proposed, ${one})`);
      expect(await page.locator('#service-entries li').allInnerTexts()).toEqual(['domain:svc-one-demo.net listed', 'domain:svc-stray-demo.net listed']);

      await page.click('#service-form button[value=rename]');
      await expect.poll(() => page.locator('#service-result').innerText()).toMatch(/Write why first/);
      await page.fill('#service-reason', 'One brand under two checkouts; its site calls it Service One.');
      await page.fill('#service-name', 'Service One');
      await page.click('#service-form button[value=rename]');
      await expect.poll(() => page.locator('#service-result').innerText()).toBe('Renamed: Service One.');
      await page.fill('#merge-from', two);
      await page.click('#service-form button[value=merge]');
      await expect.poll(() => page.locator('#service-result').innerText()).toBe('Merged: 1 indicator moved into Service One.');
      expect(await serviceOf('svc-two-demo.net')).toBe(one);
      await page.check('input[data-move="domain:svc-stray-demo.net"]');
      await page.fill('#service-name', 'Stray Reseller');
      await page.click('#service-form button[value=split]');
      await expect
        .poll(() => page.locator('#service-result').innerText())
        .toMatch(/^Moved 1 indicator to the new service Stray Reseller \(svc_[0-9a-f]{32}\)\.$/);
      const stray = await serviceOf('svc-stray-demo.net');
      expect([stray === one, stray === two]).toEqual([false, false]);
      await expect
        .poll(() => page.locator('#service-entries li').allInnerTexts())
        .toEqual(['domain:svc-one-demo.net listed', 'domain:svc-two-demo.net listed']);
      await page.close();
    });

    it("should tell a key that is not the operator's reviewer that the queue is not for it", async () => {
      await useKey(a.keys.analyst!);
      const queue = await open('review.html');
      await expect.poll(() => queue.locator('#message').innerText()).toMatch(/for the operator's reviewer keys/);
      expect(await queue.locator('#items tr').count()).toBe(0);
      await queue.close();
    });
  });

  describe('administration', () => {
    it("should show a member admin its organization's figures, keys and audit rows", async () => {
      const org = worker.createOrg('Console Demo Figures', ['analyst', 'admin']);
      // Four flags: two listed (with B), one rejected by a reviewer, one still pending.
      for (const target of ['figures-one-demo.net', 'figures-two-demo.net']) {
        for (const key of [org.keys.analyst!, b.keys.analyst!]) expect((await flagWith(key, target)).status).toBe(201);
      }
      for (const target of ['figures-rejected-demo.net', 'figures-pending-demo.net']) expect((await flagWith(org.keys.analyst!, target)).status).toBe(201);
      const rejected = await worker.fetch('/v1/indicators/reject', operator.keys.reviewer!, {
        body: { target: 'figures-rejected-demo.net', reason: 'A photo lab.' },
      });
      expect(rejected.status).toBe(200);
      await useKey(org.keys.admin!);
      const admin = await open('admin.html');
      await expect.poll(() => admin.locator('#keys tr').count()).toBe(2);
      const figure = (key: string) => admin.locator(`[data-figure=${key}]`).innerText();
      expect([await figure('listed'), await figure('rejected'), await figure('pending'), await figure('confirmedShare')]).toEqual(['2', '1', '1', '67%']);
      expect(await admin.locator('#orgs-section').isHidden()).toBe(true);
      await expect.poll(() => admin.locator('#audit').innerText()).toMatch(/flag\.created/);
      expect(await admin.locator('#audit').innerText()).not.toContain(b.orgId);
      await admin.close();
    });

    it('should create a key shown once with a copy button, and revoke a key after asking', async () => {
      const org = worker.createOrg('Console Demo Keys', ['admin']);
      await useKey(org.keys.admin!);
      const admin = await open('admin.html');
      await expect.poll(() => admin.locator('#keys tr').count()).toBe(1);
      await admin.fill('#key-label', 'Risk team laptop');
      await admin.locator('#key-role').selectOption('reader');
      await admin.click('#create-key button[type=submit]');
      const shown = admin.locator('#new-key');
      await expect.poll(() => shown.inputValue()).toMatch(/^flk_[A-Za-z0-9_-]{43}$/);
      const key = await shown.inputValue();
      await admin.click('#copy-key');
      expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(key);
      expect((await worker.fetch('/v1/whoami', key)).status).toBe(200);
      await expect.poll(() => admin.locator('#keys tr').count()).toBe(2);

      const keyId = await admin.locator('#keys tr', { hasText: 'Risk team laptop' }).getAttribute('data-key');
      await admin.click(`[data-revoke="${keyId}"]`);
      await admin.click('[data-confirm=no]');
      expect((await worker.fetch('/v1/whoami', key)).status).toBe(200);
      await admin.click(`[data-revoke="${keyId}"]`);
      await admin.click('[data-confirm=yes]');
      await expect.poll(() => admin.locator(`tr[data-key="${keyId}"]`).innerText()).toMatch(/revoked/);
      expect((await worker.fetch('/v1/whoami', key)).status).toBe(401);
      await expect.poll(() => admin.locator('#audit').innerText()).toMatch(/key\.revoked/);
      await admin.close();
    });

    it('should let an operator admin create, suspend and reinstate organizations, and run their keys', async () => {
      await useKey(operator.keys.admin!);
      const admin = await open('admin.html');
      await expect.poll(() => admin.locator(`tr[data-org="${b.orgId}"]`).count()).toBe(1);
      await admin.fill('#org-name', 'Console Demo Store');
      await admin.locator('#org-kind').selectOption('app_store');
      await admin.click('#create-org button[type=submit]');
      await expect.poll(() => admin.locator('#org-heading').textContent()).toBe('Console Demo Store');
      await admin.locator('#key-role').selectOption('admin');
      await admin.fill('#key-label', 'Store admin');
      await admin.click('#create-key button[type=submit]');
      await expect.poll(() => admin.locator('#new-key').inputValue()).toMatch(/^flk_/);
      const storeAdmin = await admin.locator('#new-key').inputValue();
      expect(await (await worker.fetch('/v1/whoami', storeAdmin)).json()).toMatchObject({ org: { name: 'Console Demo Store' }, key: { role: 'admin' } });

      await admin.click(`[data-suspend="${b.orgId}"]`);
      await admin.click('[data-confirm=yes]');
      await expect.poll(() => admin.locator(`tr[data-org="${b.orgId}"]`).innerText()).toMatch(/suspended/);
      const refused = await worker.fetch('/v1/whoami', b.keys.analyst!);
      expect([refused.status, (await refused.json()).error.code]).toEqual([403, 'org_suspended']);
      await admin.click(`[data-reinstate="${b.orgId}"]`);
      await admin.click('[data-confirm=yes]');
      await expect.poll(() => admin.locator(`tr[data-org="${b.orgId}"]`).innerText()).toMatch(/active/);
      expect((await worker.fetch('/v1/whoami', b.keys.analyst!)).status).toBe(200);
      // The operator organization itself has no suspend button.
      expect(await admin.locator(`[data-suspend="${operator.orgId}"]`).count()).toBe(0);
      await admin.close();
    });
  });
});
