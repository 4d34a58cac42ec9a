/**
 * Registrable domains (and a few addresses) shared by many unrelated users: app stores, search engines,
 * encyclopedias, link shorteners, social networks, messengers, cloud, CDN and file hosts, payment
 * companies, and public DNS resolvers' addresses. Listing one whole would block everyone on it, so a flag there must name
 * the specific URL, app, handle or merchant. (Subdomain hosts such as x.vercel.app are already their own
 * registrable domains through the public suffix list's private section, so they need no entry here.)
 */
export const SHARED_PLATFORM_DOMAINS: ReadonlySet<string> = new Set([
  // app stores and big tech
  'apple.com',
  'google.com',
  'microsoft.com',
  'amazon.com',
  'samsung.com',
  'huawei.com',
  'live.com',
  // search engines and reference
  'bing.com',
  'duckduckgo.com',
  'yahoo.com',
  'baidu.com',
  'yandex.ru',
  'wikipedia.org',
  'wikimedia.org',
  'wiktionary.org',
  'wikidata.org',
  // link shorteners: flag the address they lead to, or the short link as a URL
  'bit.ly',
  'tinyurl.com',
  't.co',
  'goo.gl',
  'ow.ly',
  'is.gd',
  'buff.ly',
  'rebrand.ly',
  'cutt.ly',
  'shorturl.at',
  'tiny.cc',
  'lnkd.in',
  // social networks and messengers
  'facebook.com',
  'fb.com',
  'instagram.com',
  'x.com',
  'twitter.com',
  'tiktok.com',
  'youtube.com',
  'youtu.be',
  'reddit.com',
  'discord.com',
  'discord.gg',
  't.me',
  'telegram.me',
  'telegram.org',
  'whatsapp.com',
  'wa.me',
  'snapchat.com',
  'pinterest.com',
  'linkedin.com',
  'tumblr.com',
  'threads.net',
  'bsky.app',
  'vk.com',
  'linktr.ee',
  'patreon.com',
  'medium.com',
  'substack.com',
  'twitch.tv',
  // cloud, code and file hosts
  'amazonaws.com',
  'cloudfront.net',
  'googleusercontent.com',
  'googleapis.com',
  'cloudflare.com',
  'github.com',
  'gitlab.com',
  'huggingface.co',
  'dropbox.com',
  'mega.nz',
  'mediafire.com',
  'wetransfer.com',
  'imgur.com',
  'archive.org',
  'wordpress.com',
  'blogger.com',
  'wix.com',
  'squarespace.com',
  'shopify.com',
  'akamaihd.net',
  'fastly.net',
  'azureedge.net',
  'azurewebsites.net',
  'herokuapp.com',
  // payments
  'venmo.com',
  'cash.app',
  'wise.com',
  'revolut.com',
  'skrill.com',
  'payoneer.com',
  'klarna.com',
  'paypal.com',
  'paypal.me',
  'stripe.com',
  'squareup.com',
  'adyen.com',
  'braintreegateway.com',
  'checkout.com',
  'coinbase.com',
  'gumroad.com',
  'ko-fi.com',
  'buymeacoffee.com',
  // public DNS resolvers: never a service of their own
  '8.8.8.8',
  '8.8.4.4',
  '1.1.1.1',
  '1.0.0.1',
  '9.9.9.9',
  '149.112.112.112',
  '208.67.222.222',
  '208.67.220.220',
  '94.140.14.14',
  '94.140.15.15',
]);

/**
 * The big platforms' own apps (store ids, Play packages and bundle ids, as the id after `ios:`, `android:` or
 * `bundle:`): a nudify service's evidence often names them (a share button, a login), and listing one would cut
 * off everyone. A flag must name the service's own app.
 */
export const SHARED_PLATFORM_APPS: ReadonlySet<string> = new Set([
  // App Store ids
  '389801252', // Instagram
  '310633997', // WhatsApp
  '284882215', // Facebook
  '454638411', // Messenger
  '835599320', // TikTok
  '447188370', // Snapchat
  '686449807', // Telegram
  '985746746', // Discord
  '333903271', // X
  '544007664', // YouTube
  '535886823', // Chrome
  '422689480', // Gmail
  '283646709', // PayPal
  '351727428', // Venmo
  '711923939', // Cash App
  '1064216828', // Reddit
  // Google Play packages and iOS bundle ids
  'com.instagram.android',
  'com.burbn.instagram',
  'com.whatsapp',
  'net.whatsapp.whatsapp',
  'com.facebook.katana',
  'com.facebook.facebook',
  'com.facebook.orca',
  'com.facebook.messenger',
  'com.zhiliaoapp.musically',
  'com.ss.android.ugc.trill',
  'com.snapchat.android',
  'com.toyopagroup.picaboo',
  'org.telegram.messenger',
  'ph.telegra.telegraph',
  'com.discord',
  'com.hammerandchisel.discord',
  'com.twitter.android',
  'com.atebits.tweetie2',
  'com.google.android.youtube',
  'com.google.ios.youtube',
  'com.android.chrome',
  'com.google.chrome.ios',
  'com.google.android.gm',
  'com.reddit.frontpage',
  'com.paypal.android.p2pmobile',
  'com.venmo',
  'com.squareup.cash',
]);

/**
 * Handles no nudify service holds: the platforms' and payment companies' own accounts (x:stripe, telegram:wallet),
 * on any handle platform. The brand of every shared platform domain, and the payment networks and bots named here.
 */
export const SHARED_PLATFORM_HANDLES: ReadonlySet<string> = new Set([
  ...[...SHARED_PLATFORM_DOMAINS].filter((d) => !/^\d/.test(d)).map((d) => d.split('.')[0]!.replace(/-/g, '')),
  'visa',
  'mastercard',
  'americanexpress',
  'amex',
  'applepay',
  'googlepay',
  'cashapp',
  'paypalme',
  'stripestatus',
  'wallet',
  'botfather',
  'telegram',
  'binance',
  'metamask',
]);
