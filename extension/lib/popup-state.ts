import { detectedIndicators, expressionOf, LookupResult } from '../../shared';
import { api, failureMessage } from './api';
import type { PopupState } from './messages';
import { activeTab, collectEvidence, isWebUrl } from './page-evidence';
import { decideByLookup, decideLocally, indicatorsOnPage, isWorkbench, rankItems } from './page-indicators';
import { suggestReason, targetOf } from './page-target';
import { activity, outbox, refusedFlags, settings, workbenchDomains } from './storage';

/**
 * Everything the popup shows for the active tab of its own window: target, its status, suggested reason,
 * evidence. A page that is not a web page is said to be one; on a workbench page (the organization's own
 * console) the console is never proposed, and every indicator the page shows is listed with its status.
 */
export async function popupState(windowId?: number): Promise<PopupState> {
  const [{ apiKey }, pending, refused, recent, tab, workbench] = await Promise.all([
    settings.getValue(),
    outbox.getValue(),
    refusedFlags.getValue(),
    activity.getValue(),
    activeTab(windowId),
    workbenchDomains.getValue(),
  ]);
  const base: PopupState = {
    configured: Boolean(apiKey),
    tabUrl: tab?.url ?? null,
    unflaggable: null,
    target: null,
    lookup: null,
    suggestedReason: 'nudify_site',
    evidence: null,
    detected: [],
    workbench: null,
    pending,
    refused,
    activity: recent.slice(0, 5),
  };
  if (!tab || !isWebUrl(tab.url)) {
    return { ...base, unflaggable: 'This tab is not a web page: Flagline reads and flags web pages (http and https) only.' };
  }
  const evidence = await collectEvidence(tab.id, tab.url);
  const signals = evidence?.signals ?? [];
  if (isWorkbench(tab.url, workbench)) {
    // One lookup for everything the page shows: opening the popup here is asking about all of it.
    const local = await decideLocally(indicatorsOnPage({ url: tab.url, links: evidence?.links ?? [], signals }, workbench));
    const items = apiKey ? await decideByLookup(local).catch(() => local) : local;
    return { ...base, evidence, workbench: { host: new URL(tab.url).hostname, items: rankItems(items) } };
  }
  const target = targetOf(tab.url);
  // Opening the popup is the analyst asking about this page; passive browsing never calls the API.
  const lookup =
    target.ok && apiKey
      ? await api(LookupResult, `/v1/lookup?q=${encodeURIComponent(expressionOf(target.indicator))}`).catch((e) => ({ failure: failureMessage(e) }))
      : null;
  return {
    ...base,
    target,
    lookup,
    suggestedReason: suggestReason(target.ok ? target.indicator : null, signals, tab.url),
    evidence,
    // One reason rule for the page and for each thing found on it.
    detected: detectedIndicators(signals).map((d) => ({ ...d, reason: suggestReason(d.indicator, signals, tab.url) })),
  };
}
