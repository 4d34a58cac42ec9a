import { browser, type Browser } from '#imports';
import { quickFlag } from './quick-flag';

/** "Flag link target" on links and "Flag …" on selected text: flag without visiting. */
export function createContextMenus(): void {
  browser.contextMenus.removeAll().then(() => {
    browser.contextMenus.create({ id: 'flag-link', title: 'Flag link target with Flagline', contexts: ['link'] });
    browser.contextMenus.create({ id: 'flag-selection', title: 'Flag “%s” with Flagline', contexts: ['selection'] });
  });
}

export async function onContextMenuClick(info: Browser.contextMenus.OnClickData, tab?: Browser.tabs.Tab): Promise<void> {
  const target = info.menuItemId === 'flag-link' ? info.linkUrl : info.selectionText?.trim();
  if (!target) return;
  // Evidence comes from the page the analyst is on; the target is the link or text itself.
  const page = tab?.id !== undefined && tab.url ? { id: tab.id, url: tab.url } : undefined;
  await quickFlag(target, 'context-menu', page);
}
