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
  /** Attribute values: data-*, form fields (hidden inputs too), meta content, alt, title and aria-label text. */
  attributes?: string[];
  /** Form fields by name (hidden ones too): billers keep their account numbers in them. */
  fields?: [string, string][];
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

/** A Telegram bot named in plain text ("@undress_demo_bot"): bots are where these services take payment. */
const TEXT_BOT = /(?:^|[\s(>"'])@([A-Za-z][A-Za-z0-9_]{2,30}bot)\b/gi;
/**
 * An app's id where a store page or review console labels it ("Bundle ID", "Package name", "Apple ID"): a bare
 * reverse-DNS name elsewhere in text is too often a domain or a file to read as an app.
 */
const LABELLED_APP_ID =
  /\b(bundle id|bundle identifier|package name|package|application id|apple id)\s*[:：]?\s*((?:id)?\d{6,12}|[A-Za-z][A-Za-z0-9_]+(?:\.[A-Za-z0-9_-]{2,}){1,10})\b/gi;

/** PayPal's hosted buttons in script: paypal.HostedButtons({ hostedButtonId: "…" }). */
const HOSTED_BUTTON_ID = /hostedButtonId["']?\s*:\s*["']([A-Za-z0-9]{8,20})["']/g;

/**
 * Form fields and URL parameters where billers keep the merchant's account, by lower-cased name: the processor, and
 * the hosts whose URLs (or whose presence on the page) make a field of that name theirs: a shopID elsewhere is
 * someone else's. CCBill's and PayPal's field names are their own anywhere.
 */
const MERCHANT_FIELDS: Record<string, { processor: string; host: RegExp; distinctive?: boolean }> = {
  clientaccnum: { processor: 'ccbill', host: /(^|\.)ccbill\.com$/, distinctive: true },
  shopid: { processor: 'verotel', host: /(^|\.)verotel\.com$/ },
  'x-eticketid': { processor: 'segpay', host: /(^|\.)segpay\.com$/ },
  pi_code: { processor: 'epoch', host: /(^|\.)(epoch|wnu)\.com$/ },
  hosted_button_id: { processor: 'paypal-button', host: /(^|\.)paypal\.com$/, distinctive: true },
  iid: { processor: 'nowpayments', host: /(^|\.)nowpayments\.io$/ },
};

/**
 * Merchant ids from a biller's fields, where `theirs` says the field belongs to that biller here: CCBill's account
 * and sub-account (clientAccnum, clientSubacc), Segpay's package from its eticket (package:price point), the
 * others as they are. The parser checks each id's shape.
 */
function merchantFromFields(get: (name: string) => string | undefined, theirs: (field: (typeof MERCHANT_FIELDS)[string]) => boolean): string[] {
  const ids: string[] = [];
  for (const [name, field] of Object.entries(MERCHANT_FIELDS)) {
    const value = get(name)?.trim();
    if (!value || !theirs(field)) continue;
    if (field.processor === 'ccbill') {
      const sub = get('clientsubacc')?.trim();
      ids.push(`ccbill:${value}${sub ? `-${sub}` : ''}`);
    } else ids.push(`${field.processor}:${field.processor === 'segpay' ? value.split(':')[0] : value}`);
  }
  return ids;
}

/**
 * Payment links and hosted checkouts: each names one merchant account. Kept as the link itself; the parser reads
 * the id out of it (shared/indicator/platform-urls.ts), so the id's shape is written once.
 */
const PAYMENT_LINK = /^https:\/\/(buy\.stripe\.com\/[^/?#]|www\.paypal\.com\/ncp\/payment\/|commerce\.coinbase\.com\/(checkout|pay|charges)\/)/;

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
    // tg://resolve?domain=name opens the Telegram app on a bot or channel: the same handle as t.me/name.
    const tg = /^tg:\/\/resolve\?(?:.*&)?domain=([A-Za-z0-9_]{3,64})/i.exec(link)?.[1];
    if (tg) add('handle', `https://t.me/${tg}`);
  }
  // Merchant ids in billers' URLs (form targets, links, frames, scripts) and in the page's own form fields.
  for (const src of [...page.scriptSrcs, ...page.formActions, ...links]) {
    let url: URL;
    try {
      url = new URL(src);
    } catch {
      continue;
    }
    if (PAYMENT_LINK.test(src)) add('link', `${url.origin}${url.pathname}`);
    const params = new Map([...url.searchParams].map(([name, value]) => [name.toLowerCase(), value]));
    for (const id of merchantFromFields(
      (name) => params.get(name),
      (field) => field.host.test(url.hostname),
    ))
      add('merchant_id', id);
  }
  // The page's own fields: a bare "iid" or "shopid" could be anything; on a page that loads that biller it is its.
  const fields = new Map((page.fields ?? []).map(([name, value]) => [name.toLowerCase(), value]));
  const hosts = [...page.scriptSrcs, ...page.formActions, ...links].map((src) => hostOf(src) ?? '');
  for (const id of merchantFromFields(
    (name) => fields.get(name),
    (field) => !!field.distinctive || hosts.some((host) => field.host.test(host)),
  )) {
    add('merchant_id', id);
  }
  for (const script of page.inlineScripts) for (const match of script.matchAll(HOSTED_BUTTON_ID)) add('merchant_id', `paypal-button:${match[1]}`);
  const haystack = [...page.inlineScripts, ...attributes, page.text].join('\n').slice(0, 2_000_000);
  for (const [type, pattern] of PATTERNS) for (const match of haystack.matchAll(pattern)) add(type, match[0]);
  for (const match of [...attributes, page.text].join('\n').matchAll(TEXT_BOT)) add('handle', `@${match[1]}`);
  for (const [, label, id] of page.text.matchAll(LABELLED_APP_ID)) {
    if (/^(?:id)?\d+$/.test(id!)) {
      if (/apple id/i.test(label!)) add('app_id', `ios:${id!.replace(/^id/, '')}`);
    } else add('app_id', `bundle:${id}`);
  }
  return [...found.values()];
}

export const PAYMENT_SIGNALS: ReadonlySet<Signal['type']> = new Set([
  'stripe_js',
  'stripe_publishable_key',
  'stripe_account',
  'paypal_sdk',
  'paypal_client_id',
  'paypal_merchant',
  'merchant_id',
  'checkout_script',
  'checkout_host',
]);
