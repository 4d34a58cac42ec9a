/**
 * Runs in the page (injected with its arguments): outlines the links whose address is listed, so a reviewer
 * sees them where they are. Self-contained, as an injected function must be; it only adds an attribute, an
 * outline and a title, and removes earlier marks first.
 */
export function markListedLinks(hrefs: string[]): number {
  for (const old of document.querySelectorAll('a[data-flagline]')) {
    old.removeAttribute('data-flagline');
    (old as HTMLElement).style.removeProperty('outline');
  }
  const listed = new Set(hrefs);
  let marked = 0;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[href]')) {
    if (!listed.has(link.href)) continue;
    link.setAttribute('data-flagline', 'on-list');
    link.style.setProperty('outline', '2px solid #b42318');
    link.title = 'Flagline: this address is on the list';
    marked++;
  }
  return marked;
}
