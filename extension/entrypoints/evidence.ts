import { extractSignals } from '../lib/signals';

/**
 * Injected into the tab when the analyst opens the popup or flags: reads the page's text and markup for
 * payment, app, handle and wallet signals. It never touches pixels: no canvas, no screenshots, no images.
 */
export default defineUnlistedScript(() => {
  const attr = (selector: string, name: string) =>
    Array.from(document.querySelectorAll(selector), (el) => (el as HTMLElement & Record<string, string>)[name] ?? '').filter(Boolean);
  const signals = extractSignals({
    scriptSrcs: attr('script[src]', 'src'),
    inlineScripts: Array.from(document.querySelectorAll('script:not([src])'), (s) => s.textContent ?? '').slice(0, 200),
    links: attr('a[href]', 'href').slice(0, 5000),
    formActions: attr('form[action]', 'action'),
    iframeSrcs: attr('iframe[src]', 'src'),
    // innerText, not textContent: the text as shown, without scripts and styles (rendering cost is fine once per popup).
    // biome-ignore lint/performance/useDomNodeTextContent: the visible text is the evidence
    text: (document.body?.innerText ?? '').slice(0, 1_000_000),
  });
  return {
    title: document.title.slice(0, 512),
    canonicalUrl: document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href ?? null,
    signals,
  };
});
