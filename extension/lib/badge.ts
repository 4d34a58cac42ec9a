import { browser } from '#imports';

/**
 * The toolbar badge of one tab, its one writer: what the local copy says of the page (`!` listed, `?` disputed),
 * or for a moment what a flag made without the popup came to (`✓`, `…` queued, `✗`).
 */
export async function showBadge(tabId: number, badge: { text: string; title?: string; color?: string }): Promise<void> {
  await browser.action.setBadgeText({ tabId, text: badge.text });
  if (badge.color) await browser.action.setBadgeBackgroundColor({ tabId, color: badge.color });
  if (badge.title) await browser.action.setTitle({ tabId, title: badge.title });
}
