import type { Signal } from '../../shared/api/evidence';

/*
 * Runs inside the page (the injected evidence script), so it imports types only: no zod, no parser, a small
 * script. What the contract accepts is decided where the result arrives (`validSignals`, extension/lib/valid-signals.ts).
 */

/** Candidates gathered per page before the contract's check keeps at most 50. */
const MAX_CANDIDATES = 500;

/** What the evidence script reads off a page: text only, never pixels. */
export interface PageText {
  scriptSrcs: string[];
  /** Inline scripts, JSON-LD and other inline JSON included. */
  inlineScripts: string[];
  links: string[];
  formActions: string[];
  iframeSrcs: string[];
  /** Attribute values: data-*, form fields (hidden inputs too), meta content. */
  attributes?: string[];
  text: string;
}

/** Hosts of checkout and payment scripts; a nudify service's checkout on a front domain shows up here. */
const CHECKOUT_HOSTS: Record<string, string> = {
  'js.stripe.com': 'stripe_js',
  'checkout.stripe.com': 'checkout_host',
  'buy.stripe.com': 'checkout_host',
  'www.paypal.com': 'paypal_sdk',
  'www.paypalobjects.com': 'paypal_sdk',
  'cdn.checkout.com': 'checkout_script',
  'js.squareup.com': 'checkout_script',
  'web.squarecdn.com': 'checkout_script',
  'js.braintreegateway.com': 'checkout_script',
  'bill.ccbill.com': 'checkout_host',
  'api.ccbill.com': 'checkout_host',
  'secure.segpay.com': 'checkout_host',
  'secure.verotel.com': 'checkout_host',
  'commerce.coinbase.com': 'checkout_host',
  'nowpayments.io': 'checkout_host',
  'pay.cryptomus.com': 'checkout_host',
  'www.coinpayments.net': 'checkout_host',
  'cdn.paddle.com': 'checkout_script',
  'app.lemonsqueezy.com': 'checkout_host',
};

const PATTERNS: [Signal['type'], RegExp][] = [
  ['stripe_publishable_key', /\bpk_live_[A-Za-z0-9]{20,120}\b/g],
  ['stripe_account', /\bacct_[A-Za-z0-9]{16,32}\b/g],
  ['wallet', /\b(?:bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34}|0x[0-9a-fA-F]{40}|T[1-9A-HJ-NP-Za-km-z]{33}|ltc1[02-9ac-hj-np-z]{11,71})\b/g],
];

const LINK_PATTERNS: [Signal['type'], RegExp][] = [
  ['app_link', /^https?:\/\/(apps\.apple\.com|itunes\.apple\.com|play\.google\.com)\//i],
  ['handle', /^https?:\/\/(t\.me|telegram\.me|discord\.gg|discord\.com\/invite|(www\.)?(x|twitter|instagram|tiktok)\.com)\//i],
];

/** Web addresses written inside scripts, JSON and attribute values (JSON escapes its slashes). */
const EMBEDDED_URL = /https?:\/\/[^\s"'`<>()\\]+/g;
const embeddedUrls = (texts: string[]): string[] =>
  texts.flatMap((t) => (t.replaceAll('\\/', '/').match(EMBEDDED_URL) ?? []).map((url) => url.replace(/[.,;:!?]+$/, '')));

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/** Payment, app, handle and wallet signal candidates in a page's text, deduplicated; `validSignals` keeps what the contract takes. */
export function signalCandidates(page: PageText): Signal[] {
  const found = new Map<string, Signal>();
  const add = (type: Signal['type'], value: string) => {
    if (found.size < MAX_CANDIDATES && value.length <= 2048) found.set(`${type} ${value}`, { type, value });
  };

  const attributes = page.attributes ?? [];
  // Links a page carries without an <a>: in attributes, inline JSON and JSON-LD, and frames.
  const links = [...page.links, ...page.iframeSrcs, ...embeddedUrls([...attributes, ...page.inlineScripts])];
  for (const src of [...page.scriptSrcs, ...page.formActions, ...links]) {
    const host = hostOf(src);
    const type = host ? CHECKOUT_HOSTS[host] : undefined;
    if (!type) continue;
    const url = new URL(src);
    if (type === 'paypal_sdk' && !url.pathname.startsWith('/sdk/js')) {
      if (url.searchParams.has('business')) add('paypal_merchant', url.searchParams.get('business')!);
      continue;
    }
    add(type as Signal['type'], `${url.origin}${url.pathname}`);
    if (type === 'paypal_sdk') {
      const clientId = url.searchParams.get('client-id');
      const merchantId = url.searchParams.get('merchant-id');
      if (clientId) add('paypal_client_id', clientId);
      if (merchantId) for (const id of merchantId.split(',')) add('paypal_merchant', id);
    }
  }
  for (const link of links) {
    for (const [type, pattern] of LINK_PATTERNS) if (pattern.test(link)) add(type, link);
  }
  const haystack = [...page.inlineScripts, ...attributes, page.text].join('\n').slice(0, 2_000_000);
  for (const [type, pattern] of PATTERNS) for (const match of haystack.matchAll(pattern)) add(type, match[0]);
  return [...found.values()];
}

export const PAYMENT_SIGNALS: ReadonlySet<Signal['type']> = new Set([
  'stripe_js',
  'stripe_publishable_key',
  'stripe_account',
  'paypal_sdk',
  'paypal_client_id',
  'paypal_merchant',
  'checkout_script',
  'checkout_host',
]);
