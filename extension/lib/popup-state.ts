import { detectedIndicators, expressionOf, LookupResult } from '../../shared';
import { api, failureMessage } from './api';
import type { PopupState } from './messages';
import { collectEvidence, currentWebTab } from './page-evidence';
import { suggestReason, targetOf } from './page-target';
import { activity, outbox, refusedFlags, settings } from './storage';

/** Everything the popup shows for the current tab: target, its status, suggested reason, evidence. */
export async function popupState(): Promise<PopupState> {
  const [{ apiKey }, pending, refused, recent, tab] = await Promise.all([
    settings.getValue(),
    outbox.getValue(),
    refusedFlags.getValue(),
    activity.getValue(),
    currentWebTab(),
  ]);
  const base: PopupState = {
    configured: Boolean(apiKey),
    tabUrl: tab?.url ?? null,
    target: null,
    lookup: null,
    suggestedReason: 'nudify_site',
    evidence: null,
    detected: [],
    pending,
    refused,
    activity: recent.slice(0, 5),
  };
  if (!tab) return base;
  const target = targetOf(tab.url);
  const evidence = await collectEvidence(tab.id, tab.url);
  const signals = evidence?.signals ?? [];
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
