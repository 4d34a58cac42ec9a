import { browser } from '#imports';
import { fitEvidence, type Evidence, type Signal } from '../../shared';
import type { PageEvidence } from './messages';
import { redirectChainOf } from './redirects';

/** Reads the tab's text evidence with the injected evidence script; null where the page cannot be read. */
export async function collectEvidence(tabId: number, url: string): Promise<PageEvidence | null> {
  try {
    const [injection] = await browser.scripting.executeScript({ target: { tabId }, files: ['/evidence.js'] });
    const result = injection?.result as { title: string; canonicalUrl: string | null; signals: Signal[] } | undefined;
    if (!result) return null;
    return { ...result, url, redirectChain: await redirectChainOf(tabId) };
  } catch {
    return null;
  }
}

/** The evidence as the API takes it (fitted to the contract's size and patterns), with only the signals the analyst kept checked. */
export function toEvidence(page: PageEvidence, keep: (signal: Signal) => boolean = () => true): Evidence {
  return fitEvidence({ ...page, signals: page.signals.filter(keep) });
}

/** The tab the analyst means: the active tab, or (when our own page is in front) the last web page they used. */
export async function currentWebTab(): Promise<{ id: number; url: string } | null> {
  const [active] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  if (active?.id !== undefined && active.url && /^https?:/.test(active.url)) return { id: active.id, url: active.url };
  const recent = (await browser.tabs.query({}))
    .filter((t) => t.id !== undefined && t.url && /^https?:/.test(t.url))
    .sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
  return recent ? { id: recent.id!, url: recent.url! } : null;
}
