import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { listen, ROOT } from '../support/worker-process';

export { WorkerProcess } from '../support/worker-process';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Synthetic pages by path, on any *-demo.net host (the rest get the landing page; /payments/<name> a checkout pattern). */
const FIXTURE_PAGES: Record<string, string> = {
  '/checkout': 'checkout.html',
  '/pay': 'attributes.html',
  '/console': 'console.html',
  '/links': 'links.html',
};

export interface RecordedRequest {
  method: string;
  url: string;
  contentType: string;
  idempotencyKey: string | null;
  body: string;
}

/**
 * What the proxy does instead of a plain forward to the worker: answer itself (a canned status), or
 * forward and then lose the answer (the request reached the worker; the browser sees the connection drop).
 */
export type Interception = { status: number; headers?: Record<string, string>; body: unknown } | 'lose-response' | undefined;

/**
 * Every HTTP request the browser makes, pages and extension alike, goes through this proxy, which records
 * it and serves the synthetic fixture pages for any *-demo.net host or forwards to the local worker.
 */
export async function startProxy(workerPort: () => number) {
  const requests: RecordedRequest[] = [];
  const control: { intercept: ((request: RecordedRequest) => Interception) | null } = { intercept: null };
  const fixtures = join(ROOT, 'test', 'extension', 'fixtures');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url!.startsWith('http') ? req.url! : `http://${req.headers.host}${req.url}`);
      const recorded: RecordedRequest = {
        method: req.method!,
        url: url.href,
        contentType: req.headers['content-type'] ?? '',
        idempotencyKey: (req.headers['idempotency-key'] as string | undefined) ?? null,
        body: body.toString('latin1'),
      };
      requests.push(recorded);
      if (url.hostname === '127.0.0.1' && Number(url.port) === workerPort()) {
        const interception = control.intercept?.(recorded);
        if (interception && interception !== 'lose-response') {
          res.writeHead(interception.status, { 'content-type': 'application/json', ...interception.headers });
          res.end(JSON.stringify(interception.body));
          return;
        }
        const upstream = httpRequest(
          { host: '127.0.0.1', port: workerPort(), method: req.method, path: url.pathname + url.search, headers: req.headers },
          (up) => {
            if (interception === 'lose-response') {
              // Headers go out, the body never does: the browser cannot mistake it for a stale socket and resend.
              res.writeHead(up.statusCode ?? 502, up.headers);
              res.flushHeaders();
              up.resume();
              up.on('end', () => res.socket?.destroy());
              return;
            }
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on('error', () => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end('worker unreachable');
        });
        upstream.end(body);
        return;
      }
      if (url.hostname.endsWith('-demo.net')) {
        if (url.pathname === '/go') {
          // ?to=<a *-demo.net domain> sends each test run to a checkout of its own.
          const to = url.searchParams.get('to');
          res.writeHead(302, { location: `http://checkout.${to?.endsWith('-demo.net') ? to : 'undress-pay-demo.net'}/checkout` });
          res.end();
          return;
        }
        // /payments/<name>: one synthetic checkout pattern a page (test/extension/fixtures/payments/).
        const payment = /^\/payments\/([a-z-]+)$/.exec(url.pathname)?.[1];
        const page =
          payment && existsSync(join(fixtures, 'payments', `${payment}.html`))
            ? `payments/${payment}.html`
            : (FIXTURE_PAGES[url.pathname] ?? 'undress-demo.html');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(readFileSync(join(fixtures, page)));
        return;
      }
      // Third-party scripts on the fixtures (js.stripe.com, …) and anything else: answered locally, never fetched.
      res.writeHead(204);
      res.end();
    });
  });
  // HTTPS (CONNECT) is recorded and refused: the fixtures' third-party scripts are never fetched.
  server.on('connect', (req, socket) => {
    requests.push({ method: 'CONNECT', url: `https://${req.url}`, contentType: '', idempotencyKey: null, body: '' });
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  const port = await listen(server);
  return { port, requests, control, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * A copy of the built extension as an analyst would have it after granting the optional "all sites"
 * permission on the options page (Chromium shows that prompt as browser UI a test cannot click).
 */
export function grantedExtensionCopy(build: 'chrome-mv3' | 'firefox-mv3' = 'chrome-mv3'): string {
  const dir = mkdtempSync(join(tmpdir(), 'flagline-ext-'));
  cpSync(join(ROOT, '.output', build), dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.host_permissions = [...manifest.host_permissions, ...manifest.optional_host_permissions];
  manifest.permissions = [...manifest.permissions, ...manifest.optional_permissions];
  delete manifest.optional_host_permissions;
  delete manifest.optional_permissions;
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return dir;
}

export async function launchBrowser(extensionDir: string, proxyPort: number, userDataDir = mkdtempSync(join(tmpdir(), 'flagline-profile-'))) {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--no-default-browser-check',
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      `--proxy-server=http://127.0.0.1:${proxyPort}`,
      '--proxy-bypass-list=<-loopback>',
    ],
  });
  const worker: Worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  return { context, worker, extensionId, userDataDir };
}

export type Launched = Awaited<ReturnType<typeof launchBrowser>> & { context: BrowserContext };

declare const chrome: typeof import('@wxt-dev/browser').browser;

/**
 * An extension page as the toolbar (or side panel) shows it: beside `front`, which stays the active tab of its
 * window, so the page acts on that tab as the real popup does. `front` null: whatever tab is in front now.
 */
export async function openBeside(browser: Launched, path: string, front: Page | null): Promise<Page> {
  const url = `chrome-extension://${browser.extensionId}/${path}`;
  const opened = browser.context.waitForEvent('page', (p) => p.url() === url);
  await browser.worker.evaluate(
    async ({ url, frontUrl }) => {
      const tabs = await chrome.tabs.query({});
      const target = frontUrl ? tabs.filter((t) => t.url === frontUrl).at(-1) : (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0];
      if (target?.id !== undefined) await chrome.tabs.update(target.id, { active: true });
      await chrome.tabs.create({ url, active: false, windowId: target?.windowId });
    },
    { url, frontUrl: front?.url() ?? null },
  );
  const page = await opened;
  await page.waitForLoadState('domcontentloaded');
  return page;
}

/** Has the extension sync its copy of the list now (the options page's button, as its alarm would), and waits for it. */
export async function syncNow(browser: Launched): Promise<void> {
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await options.click('#sync');
  for (let i = 0; i < 100 && !/entries at version \d+/.test(await options.locator('#sync-state').innerText()); i++) await options.waitForTimeout(100);
  const state = await options.locator('#sync-state').innerText();
  await options.close();
  if (!/entries at version \d+/.test(state)) throw new Error(`The extension did not sync: ${state}`);
}
