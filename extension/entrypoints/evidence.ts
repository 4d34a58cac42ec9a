import { signalCandidates } from '../lib/signals';

/**
 * Injected into the tab when the analyst opens the popup or flags: reads the page's text and markup for
 * payment, app, handle and wallet signals. It never touches pixels: no canvas, no screenshots, no images.
 */
export default defineUnlistedScript(() => {
  // Where a checkout keeps ids it does not show: data-* attributes, form fields (hidden ones too, by name), meta
  // tags, and the text of alt, title and aria-label (a QR code's wallet address is often only there).
  const fields: [string, string][] = [];
  const attributeValues = () => {
    const values: string[] = [];
    for (const el of document.querySelectorAll('*')) {
      if (values.length >= 5000) break;
      for (const { name, value } of el.attributes) {
        if ((name.startsWith('data-') || name === 'alt' || name === 'title' || name === 'aria-label') && value) values.push(value.slice(0, 2000));
      }
      if ((el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) && el.value && el.type !== 'password') {
        values.push(el.value.slice(0, 2000));
        if (el.name && fields.length < 500) fields.push([el.name.slice(0, 100), el.value.slice(0, 200)]);
      }
      if (el instanceof HTMLMetaElement && el.content) values.push(el.content.slice(0, 2000));
    }
    return values;
  };
  const attr = (selector: string, name: string) =>
    Array.from(document.querySelectorAll(selector), (el) => (el as HTMLElement & Record<string, string>)[name] ?? '').filter(Boolean);
  const anchors = attr('a[href]', 'href');
  // Candidates only: the popup's side checks them against the contract (a small script, no zod in the page).
  const signals = signalCandidates({
    scriptSrcs: attr('script[src]', 'src'),
    inlineScripts: Array.from(document.querySelectorAll('script:not([src])'), (s) => s.textContent ?? '').slice(0, 200),
    links: anchors.slice(0, 5000),
    formActions: attr('form[action]', 'action'),
    iframeSrcs: attr('iframe[src]', 'src'),
    attributes: attributeValues(),
    fields,
    // innerText, not textContent: the text as shown, without scripts and styles (rendering cost is fine once per popup).
    // biome-ignore lint/performance/useDomNodeTextContent: the visible text is the evidence
    text: (document.body?.innerText ?? '').slice(0, 1_000_000),
  });
  const links = [...new Set(anchors.filter((href) => /^https?:/i.test(href)))].slice(0, 1000);
  return {
    // Which frame this is, and the frames it holds: the background tells read frames from unread ones.
    frameUrl: location.href,
    frames: attr('iframe[src], frame[src]', 'src')
      .filter((src) => /^https?:/i.test(src))
      .slice(0, 50),
    links,
    title: document.title.slice(0, 512),
    canonicalUrl: document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href ?? null,
    signals,
  };
});
