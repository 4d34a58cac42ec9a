import { browser } from '#imports';
import { redirectChains } from './storage';

/**
 * Records, per tab, the chain of URLs a top-level navigation went through (a front domain that redirects
 * to a checkout is evidence). Needs the optional webRequest + all-sites grant; without it chains stay empty.
 */
let watching = false;

export function watchRedirects(): void {
  if (watching || !browser.webRequest?.onBeforeRedirect) return;
  watching = true;
  const filter = { urls: ['<all_urls>'], types: ['main_frame' as const] };
  browser.webRequest.onBeforeRequest.addListener((details) => {
    void update(details.tabId, (chain) => (chain.at(-1) === details.url ? chain : [details.url]));
    return undefined;
  }, filter);
  browser.webRequest.onBeforeRedirect.addListener((details) => {
    void update(details.tabId, (chain) => [...(chain.length ? chain : [details.url]), details.redirectUrl].slice(-20));
  }, filter);
  browser.tabs.onRemoved.addListener((tabId) => void update(tabId, () => null));
}

// Serialized, so a request and its redirect never overwrite each other's write.
let queue = Promise.resolve();
function update(tabId: number, change: (chain: string[]) => string[] | null): Promise<void> {
  if (tabId < 0) return queue;
  queue = queue.then(async () => {
    const chains = await redirectChains.getValue();
    const next = change(chains[tabId] ?? []);
    if (next) chains[tabId] = next;
    else delete chains[tabId];
    await redirectChains.setValue(chains);
  });
  return queue;
}

export async function redirectChainOf(tabId: number): Promise<string[]> {
  const chain = (await redirectChains.getValue())[tabId] ?? [];
  return chain.length > 1 ? chain : [];
}
