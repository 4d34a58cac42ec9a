import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { ROOT } from '../support/worker-process';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const hasFirefox = existsSync(FIREFOX);
/** The add-on's moz-extension host, pinned by pref so its pages open by URL. */
export const EXTENSION_UUID = '6f1c2f0e-8a51-4d4e-9f3c-0b7e4c1e6f1d';
const GECKO_ID = 'extension@flagline.dev';

/**
 * Debian's Firefox ESR, headless, driven over WebDriver BiDi with the built add-on installed as a temporary
 * add-on (as about:debugging would). Web pages go through the test proxy; loopback (the API) does not.
 */
export async function launchFirefox(
  proxyPort: number,
  { extensionDir = join(ROOT, '.output', 'firefox-mv3'), prefs = {} }: { extensionDir?: string; prefs?: Record<string, unknown> } = {},
): Promise<{ browser: Browser; open: (path: string) => Promise<Page>; base: string }> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // Lets BiDi open the add-on's own pages by URL.
    args: ['--remote-allow-system-access'],
    userDataDir: mkdtempSync(join(tmpdir(), 'flagline-firefox-')),
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxyPort,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxyPort,
      'network.proxy.no_proxies_on': 'localhost, 127.0.0.1',
      'network.proxy.allow_hijacking_localhost': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'app.update.enabled': false,
      'extensions.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      // The synthetic pages are plain http behind the test proxy, which refuses https.
      'dom.security.https_first': false,
      'dom.security.https_first_schemeless': false,
      ...prefs,
    },
  });
  await browser.installExtension(extensionDir);
  const base = `moz-extension://${EXTENSION_UUID}`;
  const open = async (path: string) => {
    const page = await browser.newPage();
    if (path.startsWith('http')) {
      await page.goto(path);
      return page;
    }
    const url = `${base}/${path}`;
    // An extension page loads in the extension's process: BiDi's navigation never reports it done (the old frame
    // detaches), so wait for the document itself instead.
    page.goto(url).catch(() => undefined);
    for (let i = 0; i < 100; i++) {
      const at = await page.evaluate(() => (document.readyState === 'complete' ? location.href : '')).catch(() => '');
      if (at === url) return page;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${url} did not load`);
  };
  return { browser, open, base };
}
