import { browser } from '#imports';
import type { PanelPage } from './messages';
import { activeTab, collectEvidence, isWebUrl } from './page-evidence';
import { decideLocally, indicatorsOnPage, rankItems } from './page-indicators';
import { markListedLinks } from './page-marks';
import { workbenchDomains } from './storage';

/**
 * The side panel's view of the active tab of its window: the page's own indicator (unless it is a workbench
 * console) and every indicator it shows, decided from the local copy. Nothing but hash prefixes leaves.
 */
export async function panelPage(windowId?: number): Promise<PanelPage> {
  const tab = await activeTab(windowId);
  // Without a grant for the tab the browser hides its address: that is a missing permission, not a missing page.
  if (tab && !tab.url) {
    return {
      url: null,
      unreadable:
        'Flagline may not read this tab yet: press its toolbar button on this tab (that lets it read this one page), or allow it on all sites in Options.',
      items: [],
      links: [],
    };
  }
  if (!tab || !isWebUrl(tab.url))
    return { url: tab?.url ?? null, unreadable: 'This tab is not a web page: Flagline checks web pages (http and https) only.', items: [], links: [] };
  const evidence = await collectEvidence(tab.id, tab.url);
  if (!evidence) {
    return {
      url: tab.url,
      unreadable: 'This page could not be read: open Flagline from the toolbar on this tab first, or allow it on all sites in Options.',
      items: [],
      links: [],
    };
  }
  const workbench = await workbenchDomains.getValue();
  // The sites a redirect chain passed through are read like the page's links (the popup offers them too).
  const links = [...evidence.links, ...evidence.redirectChain.slice(0, -1)];
  const items = indicatorsOnPage({ url: tab.url, links, signals: evidence.signals }, workbench, { withPage: true });
  return { url: tab.url, unreadable: null, items: rankItems(await decideLocally(items)), links: evidence.links };
}

/** Outlines the listed links in the active tab of the window; how many it marked. */
export async function markLinks(windowId: number | undefined, hrefs: string[]): Promise<number> {
  const tab = await activeTab(windowId);
  if (!tab || !isWebUrl(tab.url)) return 0;
  try {
    const [injection] = await browser.scripting.executeScript({ target: { tabId: tab.id }, func: markListedLinks, args: [hrefs] });
    return (injection?.result as number | undefined) ?? 0;
  } catch {
    return 0;
  }
}
