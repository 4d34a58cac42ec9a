import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, grantedExtensionCopy, hasChromium, launchBrowser, openBeside, startProxy, syncNow, WorkerProcess, type Launched } from './harness';
import { PAYMENT_FIXTURES } from './payment-fixtures';

if (!hasChromium && process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}: CI must install it (apt-get install chromium).`);

// Code passed to worker.evaluate runs in the extension's service worker, where the chrome.* APIs live.
declare const chrome: typeof import('@wxt-dev/browser').browser;

const IMAGE_DATA = /data:image\/|iVBORw0KGgo|\/9j\/4AAQ|R0lGOD[dl]h|UklGR/;

describe.skipIf(!hasChromium)(`the analyst extension in Chromium${hasChromium ? '' : ` (skipped: no Chromium at ${CHROMIUM})`}`, () => {
  const worker = new WorkerProcess();
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let browser: Launched;
  let extensionDir: string;
  let orgA: { orgId: string; keys: Record<string, string> };
  let orgB: { orgId: string; keys: Record<string, string> };

  /** The web page last opened: the popup opens beside it, as the toolbar would. */
  let front: Page | null = null;
  const extensionPage = async (path: string): Promise<Page> => {
    if (path.startsWith('popup.html')) return openBeside(browser, path, front && !front.isClosed() ? front : null);
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
    return page;
  };
  const webPage = async (url: string): Promise<Page> => {
    const page = await browser.context.newPage();
    await page.goto(url);
    front = page;
    return page;
  };
  const flagsFor = (target: string) =>
    worker.query<{ target: string; evidence: string | null; reason: string; org_id: string }>(
      `SELECT target, evidence, reason, org_id FROM flags WHERE target = '${target}'`,
    );
  const apiRequests = () => proxy.requests.filter((r) => r.url.startsWith(worker.endpoint));
  let optionsOpenedAtInstall = false;
  /** Lists a site by two organizations' flags, then has the extension sync it (as its alarm would). */
  const listAndSync = async (url: string) => {
    for (const org of [orgA, orgB]) expect((await worker.flag(org.keys.analyst!, url)).status).toBe(201);
    await syncNow(browser);
  };

  beforeAll(async () => {
    await worker.start();
    orgA = worker.createOrg('Demo Payments A', ['analyst']);
    orgB = worker.createOrg('Demo App Store B', ['analyst']);
    // Listed before the extension first syncs, so it reaches the extension inside the prefix set.
    for (const org of [orgA, orgB]) expect((await worker.flag(org.keys.analyst!, 'listed-early-demo.net')).status).toBe(201);
    proxy = await startProxy(() => worker.port);
    extensionDir = grantedExtensionCopy();
    browser = await launchBrowser(extensionDir, proxy.port);
    // What first run does, seen before any test can change it; then every test starts connected.
    for (let i = 0; i < 100 && !optionsOpenedAtInstall; i++) {
      optionsOpenedAtInstall = browser.context.pages().some((p) => p.url().endsWith('/options.html'));
      if (!optionsOpenedAtInstall) await new Promise((r) => setTimeout(r, 100));
    }
    await browser.worker.evaluate(
      async (settings) => {
        await chrome.storage.local.set({ settings });
      },
      { endpoint: worker.endpoint, apiKey: orgA.keys.analyst! },
    );
  });

  afterAll(async () => {
    await browser?.context.close();
    await proxy?.close();
    await worker.dispose();
  });

  it('should open the options page on first run, and connect with an API key', async () => {
    expect(optionsOpenedAtInstall).toBe(true);
    const options = await extensionPage('options.html');
    // The first page an analyst sees says to pin the button (the badge is invisible otherwise), and whether it is.
    expect(await options.locator('#pin').innerText()).toMatch(/pinned[\s\S]*puzzle-piece[\s\S]*Pin to Toolbar/);
    await expect.poll(() => options.locator('#pin-state').innerText()).toMatch(/^(Pinned|Not pinned yet)/);
    await options.fill('#endpoint', worker.endpoint);
    await options.fill('#apiKey', orgA.keys.analyst!);
    await options.click('button[type=submit]');
    await expect.poll(() => options.locator('#connection-result').innerText()).toBe('Connected as Demo Payments A (analyst).');
    await options.close();
  });

  it('should flag the page from the popup with Enter, showing target, status, reason and the text evidence it sends', async () => {
    const site = await webPage('http://shop.undress-demo.net/');
    const popup = await extensionPage('popup.html');
    await expect.poll(() => popup.locator('#target').innerText()).toBe('undress-demo.net');
    expect(await popup.locator('#status').innerText()).toBe('unknown');
    expect(await popup.locator('#reason').inputValue()).toBe('nudify_site');
    const evidenceText = await popup.locator('.evidence').innerText();
    for (const expected of [
      'acct_1UndressDemo0001A',
      'pk_live_DemoDemoDemoDemoDemo0001',
      'https://js.stripe.com/v3/',
      'DEMOMERCHANT7',
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      'https://apps.apple.com/us/app/undress-demo/id6400000001',
    ]) {
      expect(evidenceText).toContain(expected);
    }
    const detected = await popup.locator('[data-flag-detected]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flag-detected')));
    expect(detected).toEqual(
      expect.arrayContaining([
        'merchant:stripe:acct_1UndressDemo0001A',
        'merchant:paypal:DEMOMERCHANT7',
        'app:ios:6400000001',
        'handle:telegram:undress_demo_bot',
        'wallet:btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      ]),
    );
    expect(await popup.locator('.csam a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))).toEqual([
      'https://report.cybertip.org/',
      'https://report.iwf.org.uk/',
    ]);

    // It opens at the top with the Flag button focused: target and status in view, Enter flags.
    await popup.setViewportSize({ width: 380, height: 400 });
    await popup.reload();
    await expect.poll(() => popup.locator('#target').innerText()).toBe('undress-demo.net');
    expect(await popup.evaluate(() => [window.scrollY, document.activeElement?.id])).toEqual([0, 'flag']);
    expect(await popup.locator('#target').isVisible()).toBe(true);
    expect(await popup.evaluate(() => document.getElementById('status')!.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
    // The analyst unchecks one item; everything else is sent.
    await popup.locator('input[data-signal="stripe_publishable_key"]').uncheck();
    await popup.locator('#flag').focus();
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.locator('#result').innerText()).toMatch(/Flagged domain:undress-demo.net \(reported, 1 org\)/);
    await popup.close();
    await site.close();
  });

  it('should offer every payment id a checkout hides, one synthetic pattern a page, inside cross-site frames too', async () => {
    for (const [name, expected] of Object.entries(PAYMENT_FIXTURES)) {
      const site = await webPage(`http://shop.${name}-demo.net/payments/${name}`);
      const popup = await extensionPage('popup.html');
      for (const expression of expected) {
        await expect.poll(() => popup.locator(`[data-flag-detected="${expression}"]`).count(), { message: `${name}: ${expression}` }).toBe(1);
      }
      await popup.close();
      await site.close();
    }
  });

  it('should say a page pays into a listed service when its checkout shows a listed merchant id, decided locally', async () => {
    await listAndSync('acct_1FrameDemo0000001');
    const before = apiRequests().length;
    const site = await webPage('http://shop.pays-into-demo.net/payments/frame-checkout');
    // The badge says so as the page loads, before anyone opens the popup.
    const tabId = await browser.worker.evaluate(async () => (await chrome.tabs.query({ url: 'http://shop.pays-into-demo.net/*' }))[0]!.id!);
    await expect.poll(() => browser.worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId)).toBe('!');
    expect(await browser.worker.evaluate((id) => chrome.action.getTitle({ tabId: id }), tabId)).toMatch(
      /pays into a listed service \(merchant:stripe:acct_1FrameDemo0000001/,
    );
    const popup = await extensionPage('popup.html');
    await expect
      .poll(() => popup.locator('#pays-into').innerText())
      .toMatch(/^Pays into a listed service: merchant:stripe:acct_1FrameDemo0000001 is listed \(2 orgs\)/);
    // Nothing about the merchant id left the browser to decide it (the popup's one lookup is the page's own indicator).
    expect(
      apiRequests()
        .slice(before)
        .filter((r) => r.url.includes('acct_1FrameDemo') || r.body.includes('acct_1FrameDemo')),
    ).toEqual([]);
    await popup.close();
    await site.close();
  });

  it('should store the flag and its checked text evidence in D1, and never send image data in any request', async () => {
    const site = await webPage('http://shop.stored-evidence-demo.net/');
    const popup = await extensionPage('popup.html');
    await expect.poll(() => popup.locator('#target').innerText()).toBe('stored-evidence-demo.net');
    await popup.locator('input[data-signal="stripe_publishable_key"]').uncheck();
    await popup.locator('#flag').click();
    await expect.poll(() => popup.locator('#result').innerText()).toMatch(/Flagged domain:stored-evidence-demo.net/);
    await popup.close();
    await site.close();
    const [row] = flagsFor('domain:stored-evidence-demo.net');
    expect(row?.org_id).toBe(orgA.orgId);
    const evidence = JSON.parse(row!.evidence!);
    expect(evidence.title).toBe('Undress Demo: AI photo studio (synthetic test page)');
    expect(evidence.signals).toEqual(
      expect.arrayContaining([
        { type: 'stripe_account', value: 'acct_1UndressDemo0001A' },
        { type: 'paypal_merchant', value: 'DEMOMERCHANT7' },
      ]),
    );
    expect(evidence.signals.map((s: { type: string }) => s.type)).not.toContain('stripe_publishable_key');
    expect(row!.evidence).not.toMatch(IMAGE_DATA);

    // Every request the browser made, extension included, went through the recording proxy.
    expect(apiRequests().length).toBeGreaterThan(0);
    for (const request of proxy.requests) {
      expect(request.contentType).not.toMatch(/^image\//);
      expect(request.body).not.toMatch(IMAGE_DATA);
    }
    for (const request of apiRequests().filter((r) => r.method === 'POST')) expect(request.contentType).toBe('application/json');
  });

  it('should badge and blur a site once a second organization lists it, deciding locally without telling the server', async () => {
    await listAndSync('https://badge-demo.net/');

    const before = apiRequests().length;
    const site = await webPage('http://www.badge-demo.net/gallery');
    await expect.poll(() => site.locator('#hero').evaluate((img) => getComputedStyle(img).filter)).toMatch(/blur/);
    const tabId = await browser.worker.evaluate(async () => (await chrome.tabs.query({ url: 'http://www.badge-demo.net/*' }))[0]!.id!);
    await expect.poll(() => browser.worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId)).toBe('!');
    expect(
      apiRequests()
        .slice(before)
        .filter((r) => r.url.includes('badge-demo') || r.body.includes('badge-demo')),
    ).toEqual([]);

    await site.locator('#hero').click();
    expect(await site.locator('#hero').evaluate((img) => getComputedStyle(img).filter)).toBe('none');
    await site.close();
  });

  it('should unblur a listed site and clear its badge at once when it is delisted, without a reload', async () => {
    await listAndSync('https://unblur-demo.net/');
    const site = await webPage('http://www.unblur-demo.net/gallery');
    await expect.poll(() => site.locator('#hero').evaluate((img) => getComputedStyle(img).filter)).toMatch(/blur/);
    const operator = worker.createOrg('Unblur Demo Operator', ['reviewer'], 'operator');
    const delisted = await worker.fetch('/v1/indicators/delist', operator.keys.reviewer!, {
      body: { target: 'unblur-demo.net', reason: 'Owner changed: a different business now.' },
    });
    expect(delisted.status).toBe(200);
    await syncNow(browser);
    await expect.poll(() => site.locator('#hero').evaluate((img) => getComputedStyle(img).filter)).toBe('none');
    const tabId = await browser.worker.evaluate(async () => (await chrome.tabs.query({ url: 'http://www.unblur-demo.net/*' }))[0]!.id!);
    expect(await browser.worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId)).toBe('');
    await site.close();
  });

  it("should show a listing at once when the analyst's own flag makes it, and poll for others within a minute", async () => {
    expect((await worker.flag(orgB.keys.analyst!, 'fresh-status-demo.net')).status).toBe(201);
    const site = await webPage('http://fresh-status-demo.net/');
    const popup = await extensionPage('popup.html');
    await expect.poll(() => popup.locator('#target').innerText()).toBe('fresh-status-demo.net');
    await popup.locator('#flag').click();
    await expect.poll(() => popup.locator('#result').innerText()).toMatch(/Flagged domain:fresh-status-demo.net \(listed, 2 orgs\)/);
    const started = Date.now();
    const tabId = await browser.worker.evaluate(async () => (await chrome.tabs.query({ url: 'http://fresh-status-demo.net/*' }))[0]!.id!);
    await expect.poll(() => browser.worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId), { timeout: 10_000 }).toBe('!');
    console.log(`badge after the analyst's own flag: ${Date.now() - started} ms`);
    // Listings made elsewhere arrive with the next poll, which the server sets at most a minute away.
    const next = await browser.worker.evaluate(async () => (await chrome.alarms.get('list-sync'))?.scheduledTime ?? 0);
    expect(next - Date.now()).toBeLessThanOrEqual(60_000);
    await popup.close();
    await site.close();
  });

  it('should confirm a prefix-set hit by asking for the prefix only, never naming the site', async () => {
    await expect
      .poll(() => browser.worker.evaluate(async () => Boolean((await chrome.storage.local.get('prefixCopy')).prefixCopy)), { timeout: 20_000 })
      .toBe(true);
    const before = apiRequests().length;
    const site = await webPage('http://listed-early-demo.net/');
    await expect.poll(() => site.locator('#hero').evaluate((img) => getComputedStyle(img).filter)).toMatch(/blur/);
    const sent = apiRequests().slice(before);
    const hashLookups = sent.filter((r) => r.url.endsWith('/v1/hashes'));
    expect(hashLookups.length).toBeGreaterThan(0);
    for (const r of hashLookups) expect(JSON.parse(r.body)).toEqual({ prefixes: [expect.stringMatching(/^[0-9a-f]{8}$/)] });
    expect(sent.filter((r) => r.url.includes('listed-early') || r.body.includes('listed-early'))).toEqual([]);
    await site.close();
  });

  it('should leave images alone on listed sites when safe view is turned off, and still badge them', async () => {
    await listAndSync('https://plain-view-demo.net/');
    const options = await extensionPage('options.html');
    await options.locator('#safeView').uncheck();
    await expect.poll(() => browser.worker.evaluate(async () => (await chrome.storage.local.get('safeView')).safeView)).toBe(false);
    const site = await webPage('http://plain.plain-view-demo.net/');
    const tabId = await browser.worker.evaluate(async () => (await chrome.tabs.query({ url: 'http://plain.plain-view-demo.net/*' }))[0]!.id!);
    await expect.poll(() => browser.worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId)).toBe('!');
    expect(await site.locator('#hero').evaluate((img) => getComputedStyle(img).filter)).toBe('none');
    await options.locator('#safeView').check();
    await options.close();
    await site.close();
  });

  it('should flag a link target and a selected address from the context menu, without visiting them', async () => {
    const site = await webPage('http://shop.undress-demo.net/');
    const tab = await browser.worker.evaluate(async () => (await chrome.tabs.query({ url: 'http://shop.undress-demo.net/*' }))[0]!);
    await browser.worker.evaluate((t) => {
      const onClicked = chrome.contextMenus.onClicked as unknown as { dispatch: (info: object, tab: object) => void };
      onClicked.dispatch({ menuItemId: 'flag-link', linkUrl: 'http://mirror.undress-mirror-demo.net/', pageUrl: t.url, editable: false }, t);
      onClicked.dispatch({ menuItemId: 'flag-selection', selectionText: ' acct_1SelectedDemo00001 ', pageUrl: t.url, editable: false }, t);
    }, tab);
    await expect.poll(() => flagsFor('http://mirror.undress-mirror-demo.net/').length, { timeout: 15_000 }).toBe(1);
    await expect.poll(() => flagsFor('acct_1SelectedDemo00001').map((f) => f.reason), { timeout: 15_000 }).toEqual(['payment_front']);
    expect(proxy.requests.some((r) => r.url.includes('undress-mirror-demo.net') && !r.url.startsWith(worker.endpoint))).toBe(false);
    await site.close();
  });

  it('should flag the current tab with the keyboard shortcut, recording the redirect chain that led there', async () => {
    const site = await webPage('http://shop.undress-demo.net/');
    await site.click('#checkout-link');
    await site.waitForURL('http://checkout.undress-pay-demo.net/checkout');
    await browser.worker.evaluate(() => (chrome.commands.onCommand as unknown as { dispatch: (c: string) => void }).dispatch('flag-current-tab'));
    await expect.poll(() => flagsFor('http://checkout.undress-pay-demo.net/checkout').length, { timeout: 15_000 }).toBe(1);
    const [row] = flagsFor('http://checkout.undress-pay-demo.net/checkout');
    expect(JSON.parse(row!.evidence!).redirectChain).toEqual(['http://shop.undress-demo.net/go', 'http://checkout.undress-pay-demo.net/checkout']);
    expect(row!.reason).toBe('payment_front');
    await site.close();
  });

  it('should flag the valid lines of a pasted list in one batch, showing how each line reads', async () => {
    const bulk = await extensionPage('bulk.html');
    await bulk.fill('#lines', ['bulk-one-demo.net', 'google.com', 'https://t.me/bulk_demo_bot', 'paypal:BULKDEMO00001', ''].join('\n'));
    await expect.poll(() => bulk.locator('#preview tr').count()).toBe(4);
    expect(await bulk.locator('#preview').innerText()).toContain('shared platform');
    expect(await bulk.locator('#submit').innerText()).toBe('Flag 3 valid');
    // Each line shows the reason the one rule suggests (as the popup would), and the analyst can change it.
    const reasons = () =>
      bulk.locator('select[data-line]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-line')} ${(e as HTMLSelectElement).value}`));
    expect(await reasons()).toEqual(['bulk-one-demo.net nudify_site', 'https://t.me/bulk_demo_bot nudify_app', 'paypal:BULKDEMO00001 payment_front']);
    await bulk.locator('select[data-line="bulk-one-demo.net"]').selectOption('affiliate');
    await bulk.click('#submit');
    await expect.poll(() => bulk.locator('#result').innerText()).toBe('3 flagged, 0 already flagged by your organization.');
    expect(flagsFor('https://t.me/bulk_demo_bot').map((f) => f.reason)).toEqual(['nudify_app']);
    expect(flagsFor('bulk-one-demo.net').map((f) => f.reason)).toEqual(['affiliate']);
    await bulk.close();
  });

  it('should list my flags with what became of them', async () => {
    await listAndSync('https://my-listed-demo.net/');
    expect((await worker.flag(orgA.keys.analyst!, 'my-reported-demo.net', 'affiliate')).status).toBe(201);
    const mine = await extensionPage('my-flags.html');
    await expect.poll(() => mine.locator('#rows').innerText()).toMatch(/domain:my-reported-demo\.net\s+Affiliate or promoter\s+reported 1 org/);
    expect(await mine.locator('#rows').innerText()).toMatch(/domain:my-listed-demo\.net\s+Nudify site\s+listed 2 orgs/);
    await mine.close();
  });

  it('should withdraw a flag made by mistake from My flags, saying why, and show the listing counted again', async () => {
    await listAndSync('https://my-mistake-demo.net/');
    const [flag] = worker.query<{ id: string }>(`SELECT id FROM flags WHERE target = 'https://my-mistake-demo.net/' AND org_id = '${orgA.orgId}'`);
    const mine = await extensionPage('my-flags.html');
    const row = mine.locator(`tr[data-flag="${flag!.id}"]`);
    await row.locator('[data-withdraw]').click();
    await row.getByRole('textbox', { name: 'Why this flag was a mistake' }).fill('Wrong site: a look-alike of the one we meant.');
    await row.locator('[data-withdraw-confirm]').click();
    await expect.poll(() => row.innerText()).toMatch(/reported 1 org \(withdrawn by your organization\)/);
    const [after] = worker.query<{ live: number; withdrawn_at: string | null }>(`SELECT live, withdrawn_at FROM flags WHERE id = '${flag!.id}'`);
    expect(after).toMatchObject({ live: 0, withdrawn_at: expect.any(String) });
    // Read again, the page says the same.
    await mine.reload();
    await expect.poll(() => mine.locator(`tr[data-flag="${flag!.id}"]`).innerText()).toMatch(/\(withdrawn by your organization\)/);
    expect(await mine.locator(`tr[data-flag="${flag!.id}"] [data-withdraw]`).count()).toBe(0);
    await mine.close();
  });

  describe('nothing lost by the client', () => {
    const flagPosts = (target: string) =>
      proxy.requests.filter((r) => r.method === 'POST' && r.url === `${worker.endpoint}/v1/flags` && JSON.parse(r.body).target === target);
    const outboxSize = () => browser.worker.evaluate(async () => (((await chrome.storage.local.get('outbox')).outbox as unknown[] | undefined) ?? []).length);
    const flagDetected = async (expression: string) => {
      const site = await webPage('http://shop.undress-demo.net/');
      const popup = await extensionPage('popup.html');
      await expect.poll(() => popup.locator(`[data-flag-detected="${expression}"]`).count()).toBe(1);
      // Each of these buttons is named by what it flags, not one more "Flag" among many.
      expect(await popup.locator(`[data-flag-detected="${expression}"]`).getAttribute('aria-label')).toBe(`Flag ${expression}`);
      await popup.locator(`[data-flag-detected="${expression}"]`).click();
      return { site, popup };
    };
    afterEach(() => {
      proxy.control.intercept = null;
    });

    it('should deliver a flag whose response was lost exactly once, retried from storage with the same key', async () => {
      const target = 'merchant:paypal:DEMOMERCHANT7';
      proxy.control.intercept = (r) =>
        r.method === 'POST' && JSON.parse(r.body).target === target && flagPosts(target).length === 1 ? 'lose-response' : undefined;
      const { site, popup } = await flagDetected(target);
      await expect.poll(() => popup.locator('.detected').innerText()).toMatch(/Saved; will send when the API is reachable/);
      // The worker did record it; only its answer was lost on the way back.
      expect(flagsFor(target)).toHaveLength(1);
      await expect.poll(outboxSize, { timeout: 30_000 }).toBe(0);
      expect(flagsFor(target)).toHaveLength(1);
      const attempts = flagPosts(target);
      expect(attempts).toHaveLength(2);
      expect(new Set(attempts.map((r) => r.idempotencyKey)).size).toBe(1);
      await popup.close();
      await site.close();
    });

    // A 409 with Retry-After, like every retry rule of the outbox, is tested in Node: test/extension/fake-browser/outbox.test.ts.
    it('should keep a flag refused for good in view, with its reason, until the analyst dismisses it', async () => {
      const target = 'wallet:btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
      proxy.control.intercept = (r) =>
        r.method === 'POST' && JSON.parse(r.body).target === target
          ? { status: 422, body: { error: { code: 'invalid_indicator', message: 'Synthetic refusal for this test.', requestId: 'proxy' } } }
          : undefined;
      const { site, popup } = await flagDetected(target);
      await expect.poll(() => popup.locator('.detected').innerText()).toMatch(/Not flagged: Synthetic refusal for this test\./);
      expect(await outboxSize()).toBe(0);
      await popup.reload();
      await expect
        .poll(() => popup.locator('#refused').innerText())
        .toMatch(/Not accepted \(1\)[\s\S]*bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4[\s\S]*Synthetic refusal/i);
      const mine = await extensionPage('my-flags.html');
      await expect.poll(() => mine.locator('#refused').innerText()).toMatch(/Synthetic refusal/);
      await mine.locator('#refused button[data-dismiss]').click();
      await expect.poll(() => mine.locator('#refused').count()).toBe(0);
      await mine.close();
      // The popup acts on the tab in front of its window: the site again.
      await site.bringToFront();
      await popup.reload();
      await expect.poll(() => popup.locator('#target').count()).toBe(1);
      expect(await popup.locator('#refused').count()).toBe(0);
      await popup.close();
      await site.close();
    });
  });

  it('should keep a flag made while the API is down, across a browser restart, and deliver it exactly once', async () => {
    await worker.stop();
    const site = await webPage('http://shop.undress-demo.net/');
    const popup = await extensionPage('popup.html');
    await expect.poll(() => popup.locator('[data-flag-detected="handle:telegram:undress_demo_bot"]').count()).toBe(1);
    await popup.locator('[data-flag-detected="handle:telegram:undress_demo_bot"]').click();
    await expect.poll(() => popup.locator('.detected').innerText()).toMatch(/Saved; will send when the API is reachable/);
    await popup.reload();
    await expect.poll(() => popup.locator('#pending').innerText()).toMatch(/waiting to send \(1\)/i);
    await popup.close();
    await site.close();
    const profile = browser.userDataDir;
    await browser.context.close();

    await worker.start();
    browser = await launchBrowser(extensionDir, proxy.port, profile);
    await expect
      .poll(() => browser.worker.evaluate(async () => (((await chrome.storage.local.get('outbox')).outbox as unknown[] | undefined) ?? []).length), {
        timeout: 30_000,
      })
      .toBe(0);
    expect(flagsFor('handle:telegram:undress_demo_bot')).toHaveLength(1);
    // Every attempt (the failed one while down, the delivery after restart) carried the same Idempotency-Key.
    const attempts = proxy.requests.filter(
      (r) => r.method === 'POST' && r.url === `${worker.endpoint}/v1/flags` && JSON.parse(r.body).target === 'handle:telegram:undress_demo_bot',
    );
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(attempts.map((r) => r.idempotencyKey)).size).toBe(1);
  });
});
