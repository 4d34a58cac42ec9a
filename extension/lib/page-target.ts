import { KIND_TABLE, tryParseIndicator, type Indicator, type ParseResult, type Reason, type Signal } from '../../shared';
import { PAYMENT_SIGNALS } from './signals';

/** The indicator a page stands for, as the parser canonicalizes its URL (an app or handle on store pages). */
export const targetOf = (url: string): ParseResult => tryParseIndicator(url);

/** The reason that fits what the page shows; the analyst can change it. */
export function suggestReason(indicator: Indicator | null, signals: Signal[], url = ''): Reason {
  const byKind = indicator ? KIND_TABLE[indicator.kind].reason : null;
  if (byKind) return byKind;
  if (indicator?.kind === 'handle') return /^(telegram|discord):/.test(indicator.value) ? 'nudify_app' : 'affiliate';
  const looksLikeCheckout = /\b(checkout|pay|payment|billing|subscribe|pricing)\b/i.test(url);
  return looksLikeCheckout && signals.some((s) => PAYMENT_SIGNALS.has(s.type)) ? 'payment_front' : 'nudify_site';
}
