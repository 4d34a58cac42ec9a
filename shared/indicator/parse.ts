import { excerpt, IndicatorParseError, fail, type ParseErrorCode } from './errors';
import { canonicalHost, checkPublicHost, ipv6Address, isIPAddress, registrableDomain } from './host';
import { INDICATOR_KINDS, type Indicator, type IndicatorKind } from './kinds';
import { isProcessor, parseMerchant } from './merchant';
import { canonicalBundleId, canonicalHandle, HANDLE_PLATFORMS, matchPlatformUrl } from './platform-urls';
import { canonicalizeUrl } from './safe-browsing-url';
import { SHARED_PLATFORM_APPS, SHARED_PLATFORM_DOMAINS, SHARED_PLATFORM_HANDLES } from './shared-platforms';
import { guessWalletChain, parseWallet, walletChainOf } from './wallet';

export const MAX_INPUT_LENGTH = 2048;

/* Reverse-DNS bundle ids look like host names; their first label gives them away. */
const BUNDLE_ID_FIRST_LABELS = new Set(['com', 'org', 'net', 'io', 'app', 'ai', 'co', 'me', 'dev', 'info', 'biz', 'xyz']);
const APP_PREFIXES = new Set(['ios', 'android', 'bundle']);

const indicator = (kind: IndicatorKind, value: string): Indicator => ({ kind, value });

function toUrl(raw: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('scheme');
    return url;
  } catch {
    return fail('invalid_url', `"${excerpt(raw)}" is not a web address.`);
  }
}

function sharedPlatformError(domain: string): never {
  return fail('shared_platform', `${domain} is a shared platform and is never listed whole; flag the specific page URL, app, handle or merchant on it.`);
}

/** A big platform's own app or a platform's or payment company's own handle is never listed, however it was pasted. */
function refuseSharedIdentifier(found: Indicator): Indicator {
  const id = found.value.slice(found.value.indexOf(':') + 1);
  if (found.kind === 'app' && SHARED_PLATFORM_APPS.has(id.toLowerCase())) {
    fail('shared_platform', `${found.value} is a big platform's own app and is never listed; flag the nudify service's own app, site or merchant.`);
  }
  if (found.kind === 'handle' && SHARED_PLATFORM_HANDLES.has(id.replace(/^[ur]\//, '').toLowerCase())) {
    fail('shared_platform', `${found.value} is a platform's or payment company's own account and is never listed; flag the service's own handle.`);
  }
  return found;
}

/** The canonical host of an address: an IPv6 literal on its own (a URL parser would read its last group as a port), else the URL's host. */
const hostOf = (raw: string): string => canonicalHost(ipv6Address(raw) ?? toUrl(raw).hostname);

function parseDomain(raw: string): Indicator {
  const domain = registrableDomain(hostOf(raw));
  if (SHARED_PLATFORM_DOMAINS.has(domain)) sharedPlatformError(domain);
  return indicator('domain', domain);
}

function parseHost(raw: string): Indicator {
  const host = hostOf(raw);
  checkPublicHost(host);
  if (SHARED_PLATFORM_DOMAINS.has(host)) sharedPlatformError(host);
  return indicator('host', host);
}

function parseUrl(raw: string): Indicator {
  const canonical = canonicalizeUrl(raw);
  let host: string;
  try {
    host = new URL(canonical).hostname;
  } catch {
    return fail('invalid_url', `"${excerpt(raw)}" is not a web address.`);
  }
  checkPublicHost(host);
  return indicator('url', canonical);
}

function parseApp(raw: string): Indicator {
  const [prefix, ...rest] = raw.split(':');
  const id = rest.join(':');
  if (/^https?:\/\//i.test(raw) || raw.includes('/')) {
    const match = matchPlatformUrl(toUrl(raw));
    if (match?.kind === 'app') return indicator('app', match.value);
    return fail('invalid_app', 'Paste an App Store or Google Play listing link, an app id or a bundle id.');
  }
  if (rest.length && APP_PREFIXES.has(prefix!.toLowerCase())) {
    const platform = prefix!.toLowerCase();
    const numeric = /^(?:id)?(\d{5,12})$/.exec(id)?.[1];
    if (platform === 'ios' && numeric) return indicator('app', `ios:${numeric}`);
    return indicator('app', `${platform}:${canonicalBundleId(id)}`);
  }
  const numeric = /^id(\d{5,12})$/.exec(raw)?.[1];
  if (numeric) return indicator('app', `ios:${numeric}`);
  return indicator('app', `bundle:${canonicalBundleId(raw)}`);
}

function parseHandle(raw: string): Indicator {
  if (raw.startsWith('@')) return indicator('handle', canonicalHandle('telegram', raw));
  if (/^https?:\/\//i.test(raw) || (raw.includes('/') && raw.includes('.'))) {
    const match = matchPlatformUrl(toUrl(raw));
    if (match?.kind === 'handle') return indicator('handle', match.value);
    return fail('invalid_handle', 'Paste a Telegram, Discord, X, Instagram, TikTok, YouTube or Reddit link, or platform:name.');
  }
  const colon = raw.indexOf(':');
  if (colon < 0) return fail('invalid_handle', `Name the platform too, like telegram:${excerpt(raw)} (one of ${HANDLE_PLATFORMS.join(', ')}).`);
  return indicator('handle', canonicalHandle(raw.slice(0, colon), raw.slice(colon + 1)));
}

function parseMerchantInput(raw: string): Indicator {
  if (/^acct_/.test(raw)) return indicator('merchant', parseMerchant('stripe', raw));
  const colon = raw.indexOf(':');
  if (colon < 0) return fail('invalid_merchant', `Name the processor too, like paypal:${excerpt(raw)}.`);
  return indicator('merchant', parseMerchant(raw.slice(0, colon), raw.slice(colon + 1)));
}

function parseWalletInput(raw: string): Indicator {
  const colon = raw.indexOf(':');
  if (colon >= 0) return indicator('wallet', parseWallet(raw.slice(0, colon), raw.slice(colon + 1)));
  const chain = guessWalletChain(raw);
  if (!chain) return fail('invalid_wallet', `Name the chain too, like sol:${excerpt(raw)}.`);
  return indicator('wallet', parseWallet(chain, raw));
}

const BY_KIND: Record<IndicatorKind, (raw: string) => Indicator> = {
  domain: parseDomain,
  host: parseHost,
  url: parseUrl,
  app: parseApp,
  merchant: parseMerchantInput,
  wallet: parseWalletInput,
  handle: parseHandle,
};

/** A web address (or bare host name) a person pasted: an app, a handle, a URL on a shared platform, or a domain. */
function parseWebAddress(raw: string): Indicator {
  const url = toUrl(raw);
  const host = canonicalHost(url.hostname);
  const match = matchPlatformUrl(url);
  if (match) return indicator(match.kind, match.value);
  if (isIPAddress(host)) return parseHost(host);
  const domain = registrableDomain(host);
  if (!SHARED_PLATFORM_DOMAINS.has(domain)) return indicator('domain', domain);
  if (url.pathname === '/' && !url.search) sharedPlatformError(domain);
  return parseUrl(raw);
}

function parseUntyped(raw: string): Indicator {
  if (raw.startsWith('@')) return parseHandle(raw);
  if (/^acct_/.test(raw)) return parseMerchantInput(raw);
  if (/^id\d{5,12}$/.test(raw)) return parseApp(raw);

  const scheme = /^([a-z][a-z0-9+.-]*):(?!\/\/)/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme) {
    if (walletChainOf(scheme)) return parseWalletInput(raw);
    if (isProcessor(scheme)) return parseMerchantInput(raw);
    if (APP_PREFIXES.has(scheme)) return parseApp(raw);
    if (HANDLE_PLATFORMS.includes(scheme) || scheme === 'twitter') return parseHandle(raw);
  }
  // After the known schemes (telegram:a:b is a handle), before wallets and web addresses.
  if (ipv6Address(raw) !== null) return parseHost(raw);
  if (!/\s/.test(raw) && guessWalletChain(raw)) return parseWalletInput(raw);
  const otherScheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1];
  if (otherScheme && !/^https?$/i.test(otherScheme)) fail('invalid_url', `Only http and https addresses can be listed, not ${otherScheme}:.`);

  const looksLikeBundleId = /^[a-z]+\.[^/:?#]+\.[^/:?#]+$/i.test(raw) && BUNDLE_ID_FIRST_LABELS.has(raw.split('.')[0]!.toLowerCase());
  if (looksLikeBundleId) return parseApp(raw);
  const bareHost = /^([^\s/?#@]+@)?[^\s/:?#@]+\.[^\s/?#]*([/?#].*)?$/;
  if (/^https?:\/\//i.test(raw) || bareHost.test(raw)) {
    return parseWebAddress(raw);
  }
  return fail(
    'unsupported_input',
    'Not something Flagline can list: paste a web address, app link or id, merchant id (acct_…, paypal:…), wallet address or handle (@name, t.me/…).',
  );
}

/**
 * The dots IDNA reads as label separators (。．｡) written as ASCII in the host part, wherever the input puts it,
 * so a host spelled with them is the same indicator as its ASCII form (a path keeps its characters).
 */
function asciiHostDots(raw: string): string {
  const [, scheme = '', host = '', rest = ''] = /^([a-z][a-z0-9+.-]*:\/\/)?([^/?#]*)(.*)$/is.exec(raw) ?? [];
  return `${scheme}${host.replace(/[\u3002\uff0e\uff61]/g, '.')}${rest}`;
}

export interface ParseOptions {
  /** Read the input as this kind (the popup's kind picker); `kind:value` prefixes do the same. */
  kind?: IndicatorKind;
}

/**
 * Turns anything a person pastes into one canonical indicator, or throws IndicatorParseError saying why not.
 * `kind:value` (the indicator's expression) always parses back to the same indicator.
 */
export function parseIndicator(input: string, options: ParseOptions = {}): Indicator {
  const raw = input.trim();
  if (!raw) fail('empty_input', 'Nothing to parse: the input is empty.');
  if (raw.length > MAX_INPUT_LENGTH) fail('input_too_long', `Inputs are at most ${MAX_INPUT_LENGTH} characters.`);
  if (options.kind) return refuseSharedIdentifier(BY_KIND[options.kind](asciiHostDots(raw)));
  const prefix = /^([a-z]+):(?!\/\/)/.exec(raw)?.[1] as IndicatorKind | undefined;
  if (prefix && (INDICATOR_KINDS as readonly string[]).includes(prefix)) {
    const rest = raw.slice(prefix.length + 1).trim();
    if (!rest) fail('empty_input', `Nothing follows "${prefix}:".`);
    return refuseSharedIdentifier(BY_KIND[prefix](asciiHostDots(rest)));
  }
  return refuseSharedIdentifier(parseUntyped(asciiHostDots(raw)));
}

export type ParseResult = { ok: true; indicator: Indicator } | { ok: false; error: { code: ParseErrorCode; message: string } };

/** parseIndicator without the throw, for lists where each line gets its own verdict. */
export function tryParseIndicator(input: string, options?: ParseOptions): ParseResult {
  try {
    return { ok: true, indicator: parseIndicator(input, options) };
  } catch (error) {
    if (error instanceof IndicatorParseError) return { ok: false, error: { code: error.code, message: error.message } };
    throw error;
  }
}
