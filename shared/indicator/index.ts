export * from './errors';
export * from './kinds';
export { parseIndicator, tryParseIndicator, MAX_INPUT_LENGTH, type ParseOptions, type ParseResult } from './parse';
export { canonicalizeUrl, canonicalizeUrlBytes } from './safe-browsing-url';
export { SHARED_PLATFORM_DOMAINS } from './shared-platforms';
export { registrableDomain, canonicalHost } from './host';
export { coveringIndicators } from './covering';
export { siteOf } from './site';
