import { browser } from '#imports';
import { detectedIndicators, isDisputed } from '../../shared';
import { showBadge } from './badge';
import { checkUrl } from './list-sync';
import { listedIdentifiers, showMirrorBadge } from './mirror';
import { collectEvidence } from './page-evidence';
import { hasAllSites } from './permissions';
import { safeViewEnabled } from './storage';

const SAFE_VIEW_CSS = `img, video, picture, canvas, svg image, [style*="background-image"] {
  filter: blur(28px) !important; cursor: pointer !important; }
img[data-flagline-revealed], video[data-flagline-revealed], picture[data-flagline-revealed],
canvas[data-flagline-revealed], [data-flagline-revealed] { filter: none !important; }`;

/**
 * Badge and safe view for one tab, decided from the local list copy: visiting a page sends nothing to
 * the server, except when one of its expressions hits a 4-byte prefix in the set without an exact local
 * answer; then that prefix alone goes to POST /v1/hashes (never the page). Safe view blurs images and
 * video on listed sites; a click reveals one.
 */
export async function updateTab(tabId: number, url: string | undefined): Promise<void> {
  if (!url) return;
  const entry = await checkUrl(url);
  await showBadge(
    tabId,
    entry
      ? {
          text: isDisputed(entry.status) ? '?' : '!',
          color: isDisputed(entry.status) ? '#9a6700' : '#b42318',
          title: `Flagline: ${entry.kind} ${entry.value} is ${entry.status} (${entry.orgCount} organizations)`,
        }
      : { text: '' },
  );
  if (!entry || !(await safeViewEnabled.getValue())) {
    // Delisted since, or safe view turned off: the page's images come back at once, without a reload.
    await browser.scripting.removeCSS({ target: { tabId, allFrames: true }, css: SAFE_VIEW_CSS }).catch(() => undefined);
    return;
  }
  try {
    await browser.scripting.insertCSS({ target: { tabId, allFrames: true }, css: SAFE_VIEW_CSS });
    await browser.scripting.executeScript({ target: { tabId, allFrames: true }, files: ['/safe-view.js'] });
  } catch {
    /* no permission for this tab (the all-sites grant is optional), or the tab went away */
  }
}

/** A loaded page that pays into a listed service (lib/mirror.ts), read with the all-sites grant only. */
export async function badgeMirror(tabId: number, url: string | undefined): Promise<void> {
  if (!url || !/^https?:/i.test(url) || !(await hasAllSites()) || (await checkUrl(url))) return;
  const evidence = await collectEvidence(tabId, url);
  const [listed] = await listedIdentifiers(detectedIndicators(evidence?.signals ?? []).map((d) => d.indicator));
  if (listed) await showMirrorBadge(tabId, listed.entry);
}

export function watchTabs(): void {
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    if (change.status === 'loading' || change.url) void updateTab(tabId, change.url ?? tab.url);
    if (change.status === 'complete') void badgeMirror(tabId, tab.url);
  });
  browser.tabs.onActivated.addListener(async ({ tabId }) => {
    const tab = await browser.tabs.get(tabId).catch(() => null);
    void updateTab(tabId, tab?.url);
  });
}

/** After a sync or a setting change: re-check every open tab we can see. */
export async function updateAllTabs(): Promise<void> {
  for (const tab of await browser.tabs.query({})) if (tab.id !== undefined) await updateTab(tab.id, tab.url);
}
