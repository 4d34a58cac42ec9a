/**
 * The review and merchant consoles of the big app stores and payment companies: workbench pages out of the box
 * (an analyst at a store or processor works inside them). On a workbench page the popup never proposes the page
 * itself and never sends its address; it lists what the page shows. Each is a host, and where the host also
 * serves public pages (Google Play), the path the console lives under.
 */
export const KNOWN_CONSOLES: readonly { name: string; host: string; path?: string }[] = [
  { name: 'App Store Connect', host: 'appstoreconnect.apple.com' },
  { name: 'Google Play Console', host: 'play.google.com', path: '/console' },
  { name: 'Microsoft Partner Center', host: 'partner.microsoft.com', path: '/dashboard' },
  { name: 'Amazon Appstore developer console', host: 'developer.amazon.com', path: '/apps-and-games/console' },
  { name: 'Samsung Galaxy Store seller portal', host: 'seller.samsungapps.com' },
  { name: 'Huawei AppGallery Connect', host: 'developer.huawei.com', path: '/consumer/en/service/josp/agc' },
  { name: 'Stripe Dashboard', host: 'dashboard.stripe.com' },
  { name: 'Adyen Customer Area', host: 'ca-live.adyen.com' },
  { name: 'Braintree Control Panel', host: 'www.braintreegateway.com', path: '/merchants' },
];

/** The built-in console a page belongs to, if any. */
export function knownConsole(url: string): { name: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return KNOWN_CONSOLES.find((c) => parsed.hostname === c.host && (!c.path || parsed.pathname === c.path || parsed.pathname.startsWith(`${c.path}/`))) ?? null;
}
