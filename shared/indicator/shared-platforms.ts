/**
 * Registrable domains shared by many unrelated users: app stores, social networks, messengers, cloud and
 * file hosts, payment companies. Listing one whole would block everyone on it, so a flag there must name
 * the specific URL, app, handle or merchant. (Subdomain hosts such as x.vercel.app are already their own
 * registrable domains through the public suffix list's private section, so they need no entry here.)
 */
export const SHARED_PLATFORM_DOMAINS: ReadonlySet<string> = new Set([
  // app stores and big tech
  'apple.com', 'google.com', 'microsoft.com', 'amazon.com', 'samsung.com', 'huawei.com', 'live.com',
  // social networks and messengers
  'facebook.com', 'fb.com', 'instagram.com', 'x.com', 'twitter.com', 'tiktok.com', 'youtube.com', 'youtu.be',
  'reddit.com', 'discord.com', 'discord.gg', 't.me', 'telegram.me', 'telegram.org', 'whatsapp.com', 'wa.me',
  'snapchat.com', 'pinterest.com', 'linkedin.com', 'tumblr.com', 'threads.net', 'bsky.app', 'vk.com',
  'linktr.ee', 'patreon.com', 'medium.com', 'substack.com', 'twitch.tv',
  // cloud, code and file hosts
  'amazonaws.com', 'cloudfront.net', 'googleusercontent.com', 'googleapis.com', 'cloudflare.com',
  'github.com', 'gitlab.com', 'huggingface.co', 'dropbox.com', 'mega.nz', 'mediafire.com', 'wetransfer.com',
  'imgur.com', 'archive.org', 'wordpress.com', 'blogger.com', 'wix.com', 'squarespace.com', 'shopify.com',
  // payments
  'paypal.com', 'paypal.me', 'stripe.com', 'squareup.com', 'adyen.com', 'braintreegateway.com', 'checkout.com',
  'coinbase.com', 'gumroad.com', 'ko-fi.com', 'buymeacoffee.com',
]);
