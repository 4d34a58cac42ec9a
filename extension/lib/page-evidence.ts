import { browser } from '#imports';
import { fitEvidence, type Evidence, type Signal } from '../../shared';
import type { PageEvidence } from './messages';
import { redirectChainOf } from './redirects';
import { mergeFrames, type FrameText } from './frames';
import { hasAllSites } from './permissions';

/** Reads the tab's text evidence with the injected evidence script, in every frame it may read; null where the page cannot be read. */
export async function collectEvidence(tabId: number, url: string): Promise<PageEvidence | null> {
  try {
    const injections = await browser.scripting.executeScript({ target: { tabId, allFrames: true }, files: ['/evidence.js'] });
    const merged = mergeFrames(
      injections.map((i) => ({ frameId: i.frameId, result: i.result as FrameText | undefined })),
      await hasAllSites(),
    );
    return merged && { ...merged, url, redirectChain: await redirectChainOf(tabId) };
  } catch {
    return null;
  }
}

/** The evidence as the API takes it (fitted to the contract's size and patterns), with only the signals the analyst kept checked. */
export function toEvidence(page: PageEvidence, keep: (signal: Signal) => boolean = () => true): Evidence {
  return fitEvidence({ ...page, signals: page.signals.filter(keep) });
}

export const isWebUrl = (url: string | undefined): url is string => !!url && /^https?:/i.test(url);

/**
 * The tab the analyst means: the active tab of the given window (the popup's or side panel's own), or of the
 * last focused one. Never another tab: a page that cannot be read is said to be one, not swapped for a guess.
 */
export async function activeTab(windowId?: number): Promise<{ id: number; url: string } | null> {
  const [active] = await browser.tabs.query(windowId === undefined ? { active: true, lastFocusedWindow: true } : { active: true, windowId });
  return active?.id !== undefined ? { id: active.id, url: active.url ?? '' } : null;
}
