import { browser } from '#imports';
import { afterRedirect, afterRequest, chainOf, type Navigation } from './navigation-chain';
import { navigations } from './storage';

/**
 * Records, per tab, the chain of URLs a top-level navigation went through (a front domain that redirects
 * to a checkout is evidence). Needs the optional webRequest + all-sites grant; without it chains stay empty.
 *
 * Kept as hops (from → to) under the navigation's request id, not as a list appended in arrival order: when
 * Firefox wakes a sleeping event page, a navigation's events can arrive out of order (the redirect after
 * the request it led to), and an appended list then lost its front ("checkout → checkout").
 */
let watching = false;

export function watchRedirects(): void {
  if (watching || !browser.webRequest?.onBeforeRedirect) return;
  watching = true;
  const filter = { urls: ['<all_urls>'], types: ['main_frame' as const] };
  browser.webRequest.onBeforeRequest.addListener((details) => {
    void update(details.tabId, (nav) => afterRequest(nav, details));
    return undefined;
  }, filter);
  browser.webRequest.onBeforeRedirect.addListener((details) => void update(details.tabId, (nav) => afterRedirect(nav, details)), filter);
  browser.tabs.onRemoved.addListener((tabId) => void update(tabId, () => null));
}

// Serialized, so a request and its redirect never overwrite each other's write.
let queue = Promise.resolve();
function update(tabId: number, change: (nav: Navigation | undefined) => Navigation | null): Promise<void> {
  if (tabId < 0) return queue;
  queue = queue.then(async () => {
    const all = await navigations.getValue();
    const next = change(all[tabId]);
    if (next) all[tabId] = next;
    else delete all[tabId];
    await navigations.setValue(all);
  });
  return queue;
}

export async function redirectChainOf(tabId: number): Promise<string[]> {
  const nav = (await navigations.getValue())[tabId];
  const chain = nav ? chainOf(nav) : [];
  return chain.length > 1 ? chain : [];
}
