import { detectedIndicators, expressionOf, isOnList, LookupResult, tryParseIndicator, type Indicator, type Signal } from '../../shared';
import { listedIdentifiers, showMirrorBadge } from './mirror';
import { api, failureMessage } from './api';
import type { PopupState } from './messages';
import { activeTab, collectEvidence, isWebUrl } from './page-evidence';
import { decideByLookup, decideLocally, indicatorsOnPage, isWorkbench, rankItems } from './page-indicators';
import { suggestReason, targetOf } from './page-target';
import { activity, outbox, refusedFlags, settings, workbenchDomains } from './storage';

/**
 * Each site a redirect chain passed through on its way to the page, as its own indicator: the front domains
 * these services hop between. Shared platforms (shorteners, trackers, stores) are never proposed.
 */
function redirectHops(chain: readonly string[]): { signal: Signal; indicator: Indicator }[] {
  return chain.slice(0, -1).flatMap((url) => {
    const parsed = tryParseIndicator(url);
    const site = parsed.ok && (parsed.indicator.kind === 'domain' || parsed.indicator.kind === 'host');
    return site ? [{ signal: { type: 'link' as const, value: url }, indicator: parsed.indicator }] : [];
  });
}

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
    consoleHint: null,
    paysInto: [],
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
  const own = target.ok ? expressionOf(target.indicator) : null;
  const found = [...detectedIndicators(signals), ...redirectHops(evidence?.redirectChain ?? [])];
  const detected = [...new Map(found.filter((d) => expressionOf(d.indicator) !== own).map((d) => [expressionOf(d.indicator), d])).values()];
  // Opening the popup is the analyst asking about this page; passive browsing never calls the API.
  const lookup =
    target.ok && apiKey
      ? await api(LookupResult, `/v1/lookup?q=${encodeURIComponent(expressionOf(target.indicator))}`).catch((e) => ({ failure: failureMessage(e) }))
      : null;
  const paysInto = await listedIdentifiers(detected.map((d) => d.indicator));
  if (paysInto.length && !(lookup && 'status' in lookup && isOnList(lookup.status))) await showMirrorBadge(tab.id, paysInto[0]!.entry);
  return {
    ...base,
    target,
    lookup,
    paysInto,
    suggestedReason: suggestReason(target.ok ? target.indicator : null, signals, tab.url),
    evidence,
    // One reason rule for the page and for each thing found on it.
    detected: detected.map((d) => ({ ...d, reason: suggestReason(d.indicator, signals, tab.url) })),
    // A page Flagline cannot list (a shared platform, an address it cannot read) may be a console it does not know.
    consoleHint: target.ok
      ? null
      : "If this is your organization's review or merchant console, add its domain under Workbench in Options: Flagline then lists what the page shows and never sends the console's address.",
  };
}
