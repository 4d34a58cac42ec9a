import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { FIREFOX, hasFirefox, launchFirefox } from './firefox-harness';
import { grantedExtensionCopy, startProxy, WorkerProcess } from './harness';
import { PAYMENT_FIXTURES } from './payment-fixtures';

if (!hasFirefox && process.env.CI) throw new Error(`Firefox not found at ${FIREFOX}: CI must install it (apt-get install firefox-esr).`);

type Firefox = Awaited<ReturnType<typeof launchFirefox>>;
const text = (page: Page, selector: string) => page.$eval(selector, (e) => e.textContent ?? '').catch(() => '');
const until = async (read: () => Promise<string>, expected: RegExp) => {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (expected.test(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  return read();
};

/**
 * Waits until the extension's event page has been unloaded: `extension.getBackgroundPage()` answers null for an
 * event page that is not running (and, unlike `runtime.getBackgroundPage()`, does not wake it).
 */
const untilEventPageSleeps = async (extensionPage: Page) => {
  const running = () =>
    extensionPage.evaluate(
      () => (globalThis as unknown as { browser: { extension: { getBackgroundPage(): unknown } } }).browser.extension.getBackgroundPage() !== null,
    );
  for (let i = 0; i < 100 && (await running()); i++) await new Promise((r) => setTimeout(r, 100));
  if (await running()) throw new Error('the event page stayed awake for 10 s');
};

// The same build in a real Firefox (Debian's ESR), installed as a temporary add-on over WebDriver BiDi.
describe.skipIf(!hasFirefox)(`the extension in Firefox${hasFirefox ? '' : ` (skipped: no Firefox at ${FIREFOX})`}`, () => {
  const worker = new WorkerProcess();
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let firefox: Firefox;
  /** The build after the optional all-sites grant, its event page idling after a second (as Firefox's would, sooner). */
  let granted: Firefox;
  let org: { orgId: string; keys: Record<string, string> };

  /**
   * The web page at `frontUrl`, and an extension page opened beside it by the extension itself (as the toolbar
   * would), the web page staying in front (found by its address: the all-sites grant lets the extension see it).
   */
  const beside = async (
    ff: Firefox,
    path: string,
    openUrl: string,
    { frontUrl = openUrl, eventPageAsleep = false }: { frontUrl?: string; eventPageAsleep?: boolean } = {},
  ): Promise<{ site: Page; page: Page }> => {
    const home = await ff.open('my-flags.html');
    if (eventPageAsleep) await untilEventPageSleeps(home);
    const site = await ff.open(openUrl);
    const url = `${ff.base}/${path}`;
    // BiDi reports the new tab before (or without) its extension URL: take the next new page, then wait for its document.
    const known = new Set(ff.browser.targets());
    const created = ff.browser.waitForTarget((t) => t.type() === 'page' && !known.has(t));
    await home.evaluate(
      async (u, frontUrl) => {
        const tabs = (globalThis as unknown as { browser: typeof import('@wxt-dev/browser').browser }).browser.tabs;
        const [front] = await tabs.query({ url: frontUrl });
        await tabs.update(front!.id!, { active: true });
        await tabs.create({ url: u, active: false, windowId: front!.windowId });
      },
      url,
      frontUrl,
    );
    const page = (await (await created).page())!;
    for (let i = 0; i < 100 && (await page.evaluate(() => (document.readyState === 'complete' ? location.href : '')).catch(() => '')) !== url; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await home.close();
    return { site, page };
  };
  const connect = async (ff: Firefox, endpoint: string, key: string) => {
    const options = await ff.open('options.html');
    await options.locator('#endpoint').fill(endpoint);
    await options.locator('#apiKey').fill(key);
    await options.click('button[type=submit]');
    return options;
  };

  beforeAll(async () => {
    await worker.start();
    org = worker.createOrg('Firefox Demo A', ['analyst']);
    proxy = await startProxy(() => worker.port);
    firefox = await launchFirefox(proxy.port);
    granted = await launchFirefox(proxy.port, { extensionDir: grantedExtensionCopy('firefox-mv3'), prefs: { 'extensions.background.idle.timeout': 1000 } });
    // The granted one starts connected, as after the options page (the first test goes through it on the other).
    const options = await granted.open('options.html');
    await options.evaluate(
      (settings) => (globalThis as unknown as { browser: typeof import('@wxt-dev/browser').browser }).browser.storage.local.set({ settings }),
      { endpoint: worker.endpoint, apiKey: org.keys.analyst! },
    );
    await options.close();
  }, 120_000);
  afterAll(async () => {
    await firefox?.browser.close();
    await granted?.browser.close();
    await proxy?.close();
    await worker.dispose();
  });

  it('should install and connect to an API with a port, by address and as localhost, with no extra prompt', async () => {
    const options = await connect(firefox, worker.endpoint, org.keys.analyst!);
    expect(await until(() => text(options, '#connection-result'), /Connected|Not|permission/)).toBe('Connected as Firefox Demo A (analyst).');
    await options.close();
    const local = await connect(firefox, worker.endpoint.replace('127.0.0.1', 'localhost'), org.keys.analyst!);
    expect(await until(() => text(local, '#connection-result'), /Connected|Not|permission/)).toBe('Connected as Firefox Demo A (analyst).');
    await local.close();
  });

  it('should refuse a plain-http API that is not on this computer at once, instead of hanging on an https upgrade', async () => {
    const options = await connect(firefox, 'http://api.flagline-demo.net:8787', org.keys.analyst!);
    expect(await until(() => text(options, '#connection-result'), /./)).toBe(
      'Use https for an API that is not on this computer (https://api.flagline-demo.net:8787).',
    );
    await options.close();
    // Connected as before: a refused endpoint is never saved.
    const saved = await firefox.open('options.html');
    expect(await saved.$eval('#endpoint', (e) => (e as HTMLInputElement).value)).toBe(worker.endpoint.replace('127.0.0.1', 'localhost'));
    await saved.close();
  });

  it('should flag the page in front from the popup, with its text evidence', async () => {
    const { site, page: popup } = await beside(granted, 'popup.html', 'http://shop.firefox-flag-demo.net/');
    expect(await until(() => text(popup, '#target'), /./)).toBe('firefox-flag-demo.net');
    expect(await text(popup, '.evidence')).toContain('acct_1UndressDemo0001A');
    await popup.click('#flag');
    expect(await until(() => text(popup, '#result'), /Flagged|Not/)).toMatch(/Flagged domain:firefox-flag-demo\.net \(reported, 1 org\)/);
    const [flag] = worker.query<{ evidence: string }>("SELECT evidence FROM flags WHERE target = 'domain:firefox-flag-demo.net'");
    expect(JSON.parse(flag!.evidence).signals).toEqual(expect.arrayContaining([{ type: 'stripe_account', value: 'acct_1UndressDemo0001A' }]));
    await popup.close();
    await site.close();
  });

  it('should offer every payment id a checkout hides, one synthetic pattern a page, inside cross-site frames too', async () => {
    for (const [name, expected] of Object.entries(PAYMENT_FIXTURES)) {
      const { site, page: popup } = await beside(granted, 'popup.html', `http://shop.${name}-demo.net/payments/${name}`);
      const offered = () => popup.$$eval('[data-flag-detected]', (els) => els.map((e) => e.getAttribute('data-flag-detected')).join(' '));
      for (const expression of expected)
        expect([name, await until(offered, new RegExp(`(^| )${expression.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`))]).toEqual([
          name,
          expect.stringContaining(expression),
        ]);
      await popup.close();
      await site.close();
    }
  });

  it('should check a whole page from the sidebar', async () => {
    const { site, page: panel } = await beside(granted, 'sidepanel.html', 'http://hub.firefox-panel-demo.net/links');
    expect(await until(() => text(panel, '#page-note'), /checked against the local copy/)).toMatch(/indicators checked against the local copy/);
    const rows = await panel.$$eval('#page-items tr', (els) => els.map((e) => e.getAttribute('data-item')));
    expect(rows).toEqual(expect.arrayContaining(['handle:telegram:panel_demo_bot', 'domain:panel-listed-demo.net']));
    await panel.close();
    await site.close();
  });

  it('should keep the front of a redirect chain that happened while the event page slept, three times out of three', async () => {
    for (const run of [1, 2, 3]) {
      const checkout = `http://checkout.sleepy-pay-${run}-demo.net/checkout`;
      const { site, page: popup } = await beside(granted, 'popup.html', `http://front${run}.sleepy-demo.net/go?to=sleepy-pay-${run}-demo.net`, {
        frontUrl: checkout,
        eventPageAsleep: true, // the chain happens while nothing of the extension runs
      });
      expect(site.url()).toBe(checkout);
      expect(await until(() => text(popup, '#target'), /./)).toBe(`sleepy-pay-${run}-demo.net`);
      // The front the chain passed through is offered as its own indicator.
      expect(await popup.$$eval('[data-flag-detected="domain:sleepy-demo.net"]', (els) => els.length)).toBe(1);
      await popup.click('#flag');
      expect(await until(() => text(popup, '#result'), /Flagged|Not/)).toMatch(/^Flagged/);
      const [flag] = worker.query<{ evidence: string }>(`SELECT evidence FROM flags WHERE target = 'domain:sleepy-pay-${run}-demo.net'`);
      expect(JSON.parse(flag!.evidence).redirectChain).toEqual([`http://front${run}.sleepy-demo.net/go`, checkout]);
      await popup.close();
      await site.close();
    }
  });
});
