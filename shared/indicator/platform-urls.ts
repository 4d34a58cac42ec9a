import { fail, excerpt } from './errors';
import { parseMerchant } from './merchant';

/**
 * App-store listings and messenger/social links name an app or a handle, not the store's domain.
 * Each matcher takes a parsed URL (host without "www.") and returns the canonical `app` or `handle` value.
 */
type Match = { kind: 'app' | 'handle' | 'merchant'; value: string };

/** A path segment decoded; a malformed escape (t.me/%, x.com/%ff) is kept as written, never thrown. */
const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};
const segments = (url: URL): string[] => url.pathname.split('/').filter(Boolean).map(decodeSegment);

function appleApp(url: URL): Match {
  const id = /\/id(\d{5,12})(?:$|[/?])/.exec(url.pathname)?.[1] ?? url.searchParams.get('id');
  if (!id || !/^\d{5,12}$/.test(id)) fail('invalid_app', 'This App Store link has no app id (…/id123456789); paste the listing link.');
  return { kind: 'app', value: `ios:${id}` };
}

function playApp(url: URL): Match {
  const id = url.searchParams.get('id');
  if (!url.pathname.startsWith('/store/apps/details') || !id) {
    return fail('invalid_app', 'This Google Play link has no package (…/details?id=com.example.app); paste the listing link.');
  }
  return { kind: 'app', value: `android:${canonicalBundleId(id)}` };
}

export function canonicalBundleId(raw: string): string {
  const id = raw.trim();
  if (!/^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/.test(id) || id.length > 155) {
    fail('invalid_app', `"${excerpt(raw)}" is not an app bundle id or package name (like com.example.app).`);
  }
  return id.toLowerCase();
}

const HANDLE_PATTERNS: Record<string, RegExp> = {
  telegram: /^(\+[A-Za-z0-9_-]{10,40}|[a-z][a-z0-9_]{3,31})$/,
  discord: /^[A-Za-z0-9-]{2,32}$/,
  x: /^[a-z0-9_]{1,15}$/,
  instagram: /^[a-z0-9._]{1,30}$/,
  tiktok: /^[a-z0-9._]{2,24}$/,
  youtube: /^[a-z0-9._-]{3,30}$/,
  reddit: /^(r|u)\/[a-z0-9_-]{2,21}$/,
};
export const HANDLE_PLATFORMS = Object.keys(HANDLE_PATTERNS);

/** Telegram private invites and Discord invites are case-sensitive; every other name is not. */
export function canonicalHandle(platformName: string, rawName: string): string {
  const platform = platformName.toLowerCase() === 'twitter' ? 'x' : platformName.toLowerCase();
  const pattern = HANDLE_PATTERNS[platform];
  if (!pattern) return fail('invalid_handle', `Unknown platform "${platformName}"; use one of ${HANDLE_PLATFORMS.join(', ')}.`);
  let name = rawName.trim().replace(/^@/, '');
  if (platform === 'reddit') name = name.replace(/^user\//i, 'u/');
  if (!(platform === 'discord' || (platform === 'telegram' && name.startsWith('+')))) name = name.toLowerCase();
  if (!pattern.test(name)) fail('invalid_handle', `"${rawName}" is not a valid ${platform} name.`);
  return `${platform}:${name}`;
}

const RESERVED_PATHS: Record<string, ReadonlySet<string>> = {
  x: new Set(['home', 'explore', 'i', 'intent', 'share', 'search', 'settings', 'messages', 'notifications', 'hashtag', 'login', 'signup', 'tos', 'privacy']),
  instagram: new Set(['p', 'reel', 'reels', 'explore', 'accounts', 'stories', 'direct', 'about', 'legal']),
  telegram: new Set(['share', 'addstickers', 'proxy', 'socks', 'setlanguage', 'iv']),
};

function handleFrom(platform: string, name: string | undefined): Match {
  if (!name || RESERVED_PATHS[platform]?.has(name.toLowerCase())) {
    return fail('invalid_handle', `This ${platform} link does not name an account, channel or invite.`);
  }
  return { kind: 'handle', value: canonicalHandle(platform, name) };
}

function telegram(url: URL): Match {
  const [first, second] = segments(url);
  if (first === 'joinchat') return handleFrom('telegram', second && `+${second}`);
  if (first === 's') return handleFrom('telegram', second);
  return handleFrom('telegram', first);
}

function discord(url: URL): Match {
  const [first, second] = segments(url);
  return handleFrom('discord', url.hostname === 'discord.gg' ? first : first === 'invite' ? second : undefined);
}

function reddit(url: URL): Match {
  const [first, second] = segments(url);
  const prefix = first === 'r' ? 'r' : first === 'u' || first === 'user' ? 'u' : undefined;
  return handleFrom('reddit', prefix && second ? `${prefix}/${second}` : undefined);
}

function atName(platform: string) {
  return (url: URL): Match => {
    const first = segments(url)[0];
    return handleFrom(platform, first?.startsWith('@') ? first.slice(1) : undefined);
  };
}

const firstSegment =
  (platform: string) =>
  (url: URL): Match =>
    handleFrom(platform, segments(url)[0]);

/**
 * A payment link names one merchant account: a Stripe Payment Link, a PayPal payment link, a Coinbase Commerce
 * checkout. Other pages of those hosts name nothing (null: the shared-platform rule applies).
 */
const paymentLink =
  (processor: string, pattern: RegExp) =>
  (url: URL): Match | null => {
    const id = pattern.exec(url.pathname)?.[1];
    return id ? { kind: 'merchant', value: parseMerchant(processor, id) } : null;
  };

const MATCHERS: Record<string, (url: URL) => Match | null> = {
  'buy.stripe.com': paymentLink('stripe-link', /^\/((?:test_)?[A-Za-z0-9]{8,40})\/?$/),
  'paypal.com': paymentLink('paypal-link', /^\/ncp\/payment\/([A-Za-z0-9]{8,20})\/?$/),
  'commerce.coinbase.com': paymentLink('coinbase-commerce', /^\/(?:checkout|pay|charges)\/([A-Za-z0-9-]{6,64})\/?$/),
  'apps.apple.com': appleApp,
  'itunes.apple.com': appleApp,
  'play.google.com': playApp,
  't.me': telegram,
  'telegram.me': telegram,
  'discord.gg': discord,
  'discord.com': discord,
  'x.com': firstSegment('x'),
  'twitter.com': firstSegment('x'),
  'instagram.com': firstSegment('instagram'),
  'tiktok.com': atName('tiktok'),
  'youtube.com': atName('youtube'),
  'reddit.com': reddit,
};

/** The app or handle a store/messenger URL names, or null when the host is not one we read. */
export function matchPlatformUrl(url: URL): Match | null {
  const host = url.hostname.replace(/^(www|m|mobile)\./, '');
  const matcher = MATCHERS[host];
  if (!matcher) return null;
  // A bare store or network home page names nothing; fall through to the shared-platform rule.
  if (url.pathname === '/' && !url.search) return null;
  return matcher(url);
}
