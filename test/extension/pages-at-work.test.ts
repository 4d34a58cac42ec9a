import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, grantedExtensionCopy, hasChromium, launchBrowser, openBeside, startProxy, syncNow, WorkerProcess, type Launched } from './harness';

if (!hasChromium && process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}: CI must install it (apt-get install chromium).`);

declare const chrome: typeof import('@wxt-dev/browser').browser;

// Analysts meet a service in their own consoles and on checkouts that hide their ids: the extension must find
// every signal, act on the tab in front, and never propose the console itself.
describe.skipIf(!hasChromium)(`the extension at real work in Chromium${hasChromium ? '' : ` (skipped: no Chromium at ${CHROMIUM})`}`, () => {
  const worker = new WorkerProcess();
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let browser: Launched;
  let a: { orgId: string; keys: Record<string, string> };
  let b: { orgId: string; keys: Record<string, string> };

  const webPage = async (url: string): Promise<Page> => {
    const page = await browser.context.newPage();
    await page.goto(url);
    return page;
  };
  const extensionPage = async (path: string): Promise<Page> => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
    return page;
  };
  const detected = (popup: Page) => popup.locator('[data-flag-detected]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flag-detected')));
  const sync = () => syncNow(browser);

  beforeAll(async () => {
    await worker.start();
    a = worker.createOrg('Work Demo A', ['analyst']);
    b = worker.createOrg('Work Demo B', ['analyst']);
    proxy = await startProxy(() => worker.port);
    browser = await launchBrowser(grantedExtensionCopy(), proxy.port);
    await browser.worker.evaluate(async (settings) => chrome.storage.local.set({ settings }), { endpoint: worker.endpoint, apiKey: a.keys.analyst! });
  });

  afterAll(async () => {
    await browser?.context.close();
    await proxy?.close();
    await worker.dispose();
  });

  it('should find the ids a checkout keeps in attributes, hidden fields, meta tags, JSON-LD, inline JSON and frames', async () => {
    const site = await webPage('http://pay.attr-checkout-demo.net/pay');
    const popup = await openBeside(browser, 'popup.html', site);
    await expect.poll(() => popup.locator('#target').innerText()).toBe('attr-checkout-demo.net');
    expect(await detected(popup)).toEqual(
      expect.arrayContaining([
        'merchant:stripe:acct_1AttrPayDemo00001', // data-stripe-account
        'handle:telegram:attr_pay_demo_bot', // meta description
        'app:android:net.attrpaydemo.app', // JSON-LD sameAs
        'wallet:eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', // inline JSON
        'app:ios:6400000003', // an iframe's src
      ]),
    );
    expect(await popup.locator('.evidence').innerText()).toContain('pk_live_AttrPayDemoAttrPayDemo01'); // a hidden input
    // The checkout is a payment front: the one reason rule says so.
    expect(await popup.locator('#reason').inputValue()).toBe('payment_front');
    await popup.close();
    await site.close();
  });

  it('should say a tab that is not a web page cannot be flagged, and never fall back to another tab', async () => {
    const site = await webPage('http://shop.undress-demo.net/');
    const own = await extensionPage('my-flags.html');
    const before = proxy.requests.length;
    const popup = await openBeside(browser, 'popup.html', own);
    await expect.poll(() => popup.locator('#unflaggable').innerText()).toMatch(/not a web page/);
    expect(await popup.locator('#flag').count()).toBe(0);
    expect(await popup.locator('body').innerText()).not.toContain('undress-demo.net');
    // Nothing was looked up for the web page behind it.
    expect(proxy.requests.slice(before).filter((r) => r.url.includes('/v1/lookup'))).toEqual([]);
    await popup.close();
    await own.close();
    await site.close();
  });

  it('should list what a workbench page shows, with statuses, most likely first, and never propose the console', async () => {
    for (const key of [a.keys.analyst!, b.keys.analyst!]) {
      for (const target of ['https://t.me/brand_console_demo_bot', 'brand-console-demo.net']) expect((await worker.flag(key, target)).status).toBe(201);
    }
    await sync();
    const options = await extensionPage('options.html');
    await options.fill('#workbench', 'console-demo.net\nhttps://ops.console-demo.net/any/path');
    await options.click('#save-workbench');
    await expect.poll(() => options.locator('#workbench-state').innerText()).toBe('Saved: 2 domains.');
    await options.close();

    const console = await webPage('http://review.console-demo.net/console');
    const popup = await openBeside(browser, 'popup.html', console);
    await expect.poll(() => popup.locator('#workbench li').count()).toBe(4);
    expect(await popup.locator('#target').count()).toBe(0);
    const rows = await popup
      .locator('#workbench li')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-item')} ${e.querySelector('.status')!.textContent}`));
    expect(rows).toEqual([
      'handle:telegram:brand_console_demo_bot listed',
      'domain:brand-console-demo.net listed',
      'app:ios:6400000004 unknown',
      'merchant:stripe:acct_1BrandConsoleDemo1 unknown',
    ]);
    // Each is flaggable on its own, without the console's address as evidence.
    await popup.locator('[data-flag-detected="app:ios:6400000004"]').click();
    await expect.poll(() => popup.locator('li[data-item="app:ios:6400000004"]').innerText()).toMatch(/Flagged app:ios:6400000004/);
    const [flag] = worker.query<{ target: string; evidence: string | null; reason: string }>(
      "SELECT target, evidence, reason FROM flags WHERE target = 'app:ios:6400000004'",
    );
    expect(flag).toEqual({ target: 'app:ios:6400000004', evidence: null, reason: 'nudify_app' });
    await popup.close();
    await console.close();
  });

  it('should say on the options page exactly what leaves the browser, and when', async () => {
    const options = await extensionPage('options.html');
    expect(await options.locator('#why').innerText()).toMatch(/The page address is never sent: only when it matches a 4-byte hash prefix/);
    const said = await options.locator('#what-leaves li').allInnerTexts();
    expect(said.map((line) => line.split(':')[0])).toEqual([
      'Browsing',
      'Opening the popup',
      'Flagging',
      'The side panel',
      'Withdrawing a flag on My flags',
      'Syncing the list (every minute or so)',
    ]);
    expect(said.join('\n')).toMatch(/only the evidence items left checked[\s\S]*Never images/);
    await options.close();
  });

  describe('the side panel checks a whole page', () => {
    it('should give every link and indicator a verdict, locally first, outline listed links, and look up the rest only when asked', async () => {
      for (const key of [a.keys.analyst!, b.keys.analyst!]) {
        for (const target of ['panel-listed-demo.net', 'https://t.me/panel_demo_bot']) expect((await worker.flag(key, target)).status).toBe(201);
      }
      expect((await worker.flag(a.keys.analyst!, 'panel-reported-demo.net')).status).toBe(201);
      await sync();
      const hub = await webPage('http://hub.panel-page-demo.net/links');
      const before = proxy.requests.length;
      const panel = await openBeside(browser, 'sidepanel.html', hub);
      await expect.poll(() => panel.locator('#page-items tr').count()).toBe(5);
      const verdicts = () =>
        panel
          .locator('#page-items tr')
          .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-item')} ${e.querySelector('[data-verdict]')!.getAttribute('data-verdict')}`));
      expect(await verdicts()).toEqual([
        'handle:telegram:panel_demo_bot listed',
        'domain:panel-listed-demo.net listed',
        'domain:panel-page-demo.net unknown',
        'domain:panel-reported-demo.net unknown',
        'domain:unknown-panel-demo.net unknown',
      ]);
      // Decided locally: no lookup, no page address sent.
      expect(proxy.requests.slice(before).filter((r) => r.url.includes('/v1/lookup'))).toEqual([]);
      expect(await panel.locator('#page-note').innerText()).toMatch(/nothing was sent but 4-byte hash prefixes.*2 listed links outlined on the page/);
      // The listed links are outlined in the page itself; the others are not.
      expect(await hub.locator('a[data-flagline=on-list]').evaluateAll((els) => els.map((e) => e.id))).toEqual(['listed-link', 'bot-link']);

      expect(await panel.locator('#lookup').innerText()).toBe('Look up the 3 not listed here (sends them to the API)');
      await panel.click('#lookup');
      await expect.poll(() => verdicts()).toContain('domain:panel-reported-demo.net reported');
      const lookups = proxy.requests.slice(before).filter((r) => r.url.includes('/v1/lookup'));
      expect(lookups.map((r) => JSON.parse(r.body).inputs)).toEqual([
        ['http://hub.panel-page-demo.net/links', 'http://panel-reported-demo.net/', 'http://unknown-panel-demo.net/'],
      ]);
      await panel.close();
      await hub.close();
    });

    it('should follow the tab in front: the previous verdicts go, the new page is checked without a click', async () => {
      const hub = await webPage('http://hub.panel-page-demo.net/links');
      const panel = await openBeside(browser, 'sidepanel.html', hub);
      await expect.poll(() => panel.locator('#page-items tr').count()).toBe(5);
      const other = await webPage('http://shop.panel-follow-demo.net/payments/telegram');
      await browser.worker.evaluate(async (url) => {
        const [tab] = await chrome.tabs.query({ url });
        await chrome.tabs.update(tab!.id!, { active: true });
      }, other.url());
      await expect.poll(() => panel.locator('#page').innerText()).toBe('http://shop.panel-follow-demo.net/payments/telegram');
      await expect
        .poll(() => panel.locator('#page-items tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item'))))
        .toEqual(expect.arrayContaining(['handle:telegram:undress_tg_demo_bot', 'domain:panel-follow-demo.net']));
      expect(await panel.locator('#page-items tr[data-item="handle:telegram:panel_demo_bot"]').count()).toBe(0);
      await panel.close();
      await other.close();
      await hub.close();
    });

    it('should give a pasted submission the same verdicts, a host under a listed domain listed via it, and export them as CSV', async () => {
      for (const key of [a.keys.analyst!, b.keys.analyst!]) expect((await worker.flag(key, 'pasted-listed-demo.net')).status).toBe(201);
      await sync();
      const hub = await webPage('http://hub.panel-page-demo.net/links');
      const panel = await openBeside(browser, 'sidepanel.html', hub);
      // Pasted as a submission reads: the unknown site first, a repeat of it, the listed host, a line that is no indicator.
      await panel.fill(
        '#lines',
        ['pasted-unknown-demo.net', 'https://pasted-unknown-demo.net/again', 'host:cdn.pasted-listed-demo.net', 'not a thing at all', ''].join('\n'),
      );
      await panel.click('#check-lines');
      await expect.poll(() => panel.locator('#lines-items tr').count()).toBe(4);
      // In the order pasted, and the repeat said, not dropped.
      expect(await panel.locator('#lines-items tr[data-item]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item')))).toEqual([
        'domain:pasted-unknown-demo.net',
        'host:cdn.pasted-listed-demo.net',
      ]);
      expect(await panel.locator('#lines-items tr[data-unreadable]').first().innerText()).toMatch(/Same indicator as "pasted-unknown-demo\.net"/);
      const listedRow = panel.locator('#lines-items tr[data-item="host:cdn.pasted-listed-demo.net"]');
      expect(await listedRow.innerText()).toMatch(/listed\s+via domain:pasted-listed-demo\.net\s+local copy/);
      expect(await panel.locator('#lines-note').innerText()).toMatch(
        /2 checked: 1 by the local copy, 1 by one lookup \(sent to the API\); 2 lines not checked on their own/,
      );
      const download = panel.waitForEvent('download');
      await panel.click('#export');
      const csv = readFileSync((await (await download).path())!, 'utf8');
      expect(csv.split('\r\n').slice(0, 3)).toEqual([
        'line,indicator,status,matched,decided_by,error',
        'pasted-unknown-demo.net,domain:pasted-unknown-demo.net,unknown,,lookup,',
        'host:cdn.pasted-listed-demo.net,host:cdn.pasted-listed-demo.net,listed,domain:pasted-listed-demo.net,local,',
      ]);
      expect(csv).toMatch(/not a thing at all,,,,,/);
      await panel.close();
      await hub.close();
    });
  });

  describe('readable at 200% zoom and with a keyboard alone', () => {
    const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

    /**
     * Every visible piece of text on a page whose contrast with what is behind it is under WCAG AA: 4.5:1, or 3:1 for
     * large text (24 px, or 18.66 px bold). The background is the nearest opaque one up the tree, else the page canvas.
     */
    const lowContrast = (page: Page, canvas: string) =>
      page.evaluate((canvas) => {
        const rgb = (color: string): number[] => (color.match(/[\d.]+/g) ?? []).map(Number);
        const luminance = ([r, g, b]: number[]) => {
          const [R, G, B] = [r!, g!, b!].map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
          return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!;
        };
        const background = (el: Element | null): number[] => {
          for (let at = el; at; at = at.parentElement) {
            const [r = 0, g = 0, b = 0, a = 1] = rgb(getComputedStyle(at).backgroundColor);
            if (a > 0.5) return [r, g, b];
          }
          return rgb(canvas);
        };
        const failures: string[] = [];
        for (const el of document.body.querySelectorAll('*')) {
          const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          if (!own || style.visibility === 'hidden' || box.width === 0 || box.height === 0) continue;
          const [fg, bg] = [luminance(rgb(style.color)), luminance(background(el))];
          const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
          const size = Number.parseFloat(style.fontSize);
          const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
          if (ratio < (large ? 3 : 4.5))
            failures.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${el.textContent!.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
        }
        return failures;
      }, canvas);

    it.each([
      ['light', 'rgb(255, 255, 255)'],
      ['dark', 'rgb(18, 18, 18)'],
    ] as const)('should meet WCAG AA contrast in %s mode on the popup, side panel and the extension pages', async (scheme, canvas) => {
      const site = await webPage('http://shop.contrast-demo.net/payments/telegram');
      const pages = [
        await openBeside(browser, 'popup.html', site),
        await openBeside(browser, 'sidepanel.html', site),
        ...(await Promise.all(['options.html', 'my-flags.html', 'review.html', 'admin.html', 'bulk.html'].map(extensionPage))),
      ];
      for (const page of pages) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.waitForTimeout(300); // let each page draw what it loads
        expect([page.url().split('/').at(-1), await lowContrast(page, canvas)]).toEqual([page.url().split('/').at(-1), []]);
        await page.close();
      }
      await site.close();
    });

    it('should fit the side panel at 200% (a 360-pixel panel is 180 CSS pixels) and work it with the keyboard', async () => {
      // Its longest lines on: the page's bot is listed, so the panel says the page pays into a listed service.
      for (const key of [a.keys.analyst!, b.keys.analyst!]) expect([200, 201]).toContain((await worker.flag(key, 'https://t.me/panel_demo_bot')).status);
      await sync();
      const hub = await webPage('http://hub.panel-page-demo.net/links');
      const panel = await openBeside(browser, 'sidepanel.html', hub);
      await panel.setViewportSize({ width: 180, height: 640 });
      await expect.poll(() => panel.locator('#pays-into').innerText()).toMatch(/^Pays into a listed service: handle:telegram:panel_demo_bot/);
      expect(await noSideways(panel)).toBe(true);
      await panel.locator('body').focus();
      await panel.keyboard.press('Tab');
      expect(await panel.evaluate(() => document.activeElement?.id)).toBe('check-page');
      await panel.keyboard.press('Enter');
      await expect.poll(() => panel.locator('#page-note').innerText()).toMatch(/checked against the local copy/);
      await panel.locator('#lines').focus();
      await panel.keyboard.type('keyboard-only-demo.net');
      await panel.keyboard.press('Tab');
      expect(await panel.evaluate(() => document.activeElement?.id)).toBe('check-lines');
      await panel.keyboard.press('Enter');
      await expect.poll(() => panel.locator('#lines-items tr').count()).toBe(1);
      expect(await noSideways(panel)).toBe(true);
      await panel.close();
      await hub.close();
    });

    it('should fit the popup at 200% (its largest, 800 by 600 pixels, is 400 by 300) with target, status and Flag in view', async () => {
      const site = await webPage('http://shop.zoom-demo.net/');
      const popup = await openBeside(browser, 'popup.html', site);
      await popup.setViewportSize({ width: 400, height: 300 });
      await popup.reload();
      await expect.poll(() => popup.locator('#target').innerText()).toBe('zoom-demo.net');
      expect(await noSideways(popup)).toBe(true);
      expect(await popup.evaluate(() => document.activeElement?.id)).toBe('flag');
      const inView = (selector: string) => popup.evaluate((s) => document.querySelector(s)!.getBoundingClientRect().bottom <= window.innerHeight, selector);
      expect([await inView('#target'), await inView('#status')]).toEqual([true, true]);
      await popup.close();
      await site.close();
    });
  });
});
