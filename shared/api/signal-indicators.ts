import { expressionOf, IndicatorKind, kindsWhere, type Indicator } from '../indicator/kinds';
import { tryParseIndicator } from '../indicator/parse';
import type { Signal } from './evidence';

/** Signals that name something listable on its own (merchant ids, apps, handles, wallets), as parser input. */
const SIGNAL_TARGET: Partial<Record<Signal['type'], (value: string) => string>> = {
  stripe_account: (v) => v,
  paypal_merchant: (v) => `paypal:${v}`,
  merchant_id: (v) => v,
  wallet: (v) => v,
  app_link: (v) => v,
  app_id: (v) => v,
  link: (v) => v,
  handle: (v) => v,
};

/** A link signal counts only when it parses as a merchant: a payment link or hosted checkout (buy.stripe.com/…). */
const SIGNAL_KINDS: Partial<Record<Signal['type'], readonly Indicator['kind'][]>> = { link: ['merchant'] };

/** Signals that are listable on their own, parsed and deduplicated (the extension offers each as a flag). */
export function detectedIndicators(signals: readonly Signal[]): { signal: Signal; indicator: Indicator }[] {
  const seen = new Set<string>();
  return signals.flatMap((signal) => {
    const toTarget = SIGNAL_TARGET[signal.type];
    const parsed = toTarget ? tryParseIndicator(toTarget(signal.value)) : null;
    if (!parsed?.ok) return [];
    const kinds = SIGNAL_KINDS[signal.type];
    if (kinds && !kinds.includes(parsed.indicator.kind)) return [];
    const key = expressionOf(parsed.indicator);
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ signal, indicator: parsed.indicator }];
  });
}

/** Kinds that name one operator (an account, an app, a wallet, a handle), unlike a domain that mirrors share. */
export const SERVICE_KEY_KINDS: ReadonlySet<Indicator['kind']> = new Set(kindsWhere((kind) => kind.namesOneOperator));

/** Payment keys that are no indicator kind but belong to exactly one merchant. */
const PAYMENT_KEYS: Partial<Record<Signal['type'], string>> = {
  stripe_publishable_key: 'stripe_key',
  paypal_client_id: 'paypal_client',
};

/**
 * The identifiers that tie a flag to a service: the indicator itself when it names one operator, and the
 * merchant ids, payment keys, wallets, handles and apps of its evidence. Two flags sharing one belong to the
 * same service. Each is `kind:value` (or `stripe_key:pk_…`), deduplicated.
 */
export function serviceKeysOf(indicator: Indicator, signals: readonly Signal[] = []): string[] {
  const keys = new Set<string>();
  if (SERVICE_KEY_KINDS.has(indicator.kind)) keys.add(expressionOf(indicator));
  for (const { indicator: found } of detectedIndicators(signals)) if (SERVICE_KEY_KINDS.has(found.kind)) keys.add(expressionOf(found));
  for (const signal of signals) {
    const prefix = PAYMENT_KEYS[signal.type];
    if (prefix) keys.add(`${prefix}:${signal.value}`);
  }
  return [...keys];
}

/** The indicator an identifier names (`merchant:stripe:acct_…`), or null for a payment key that is no kind. */
export function indicatorOfKey(key: string): Indicator | null {
  const at = key.indexOf(':');
  const kind = IndicatorKind.safeParse(key.slice(0, at));
  return kind.success ? { kind: kind.data, value: key.slice(at + 1) } : null;
}
