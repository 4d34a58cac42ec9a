import { expressionOf, type Indicator } from './kinds';
import { tryParseIndicator } from './parse';

/**
 * An Android app's Play listing and its package name are one app: `android:com.x` and a bare `bundle:com.x` cover
 * each other (an iOS app's numeric id cannot be matched to a bundle id without the store's data).
 */
function sameApp(app: Indicator): Indicator[] {
  const [platform, id] = [app.value.slice(0, app.value.indexOf(':')), app.value.slice(app.value.indexOf(':') + 1)];
  if (platform === 'android') return [{ kind: 'app', value: `bundle:${id}` }];
  if (platform === 'bundle') return [{ kind: 'app', value: `android:${id}` }];
  return [];
}

/** A scheme, or a path, query or fragment after the host: the address names one page, not just a site. */
const NAMES_A_PAGE = /^[a-z][a-z0-9+.-]*:\/\/|^[^/?#]+[/?#]./i;

/**
 * Every indicator whose listing covers an input, most specific first: the input's own indicator, then, for
 * a web address, its page (a URL), its host and its registrable domain. A lookup, `flagline check` and the
 * extension's local check all ask this, so `cdn.mirror-demo.net/pay` is listed when its host or its domain is.
 */
export function coveringIndicators(input: string, own: Indicator): Indicator[] {
  if (own.kind === 'app') return [own, ...sameApp(own)];
  if (own.kind !== 'domain' && own.kind !== 'host' && own.kind !== 'url') return [own];
  // The address as typed, unless it was spelled as kind:value (then the canonical value is the address).
  const address = own.kind === 'domain' && !/^domain:/i.test(input.trim()) ? input.trim() : own.value;
  const kinds: Indicator['kind'][] = NAMES_A_PAGE.test(address) ? ['url', 'host', 'domain'] : ['host', 'domain'];
  const found = new Map([[expressionOf(own), own]]);
  const domain = tryParseIndicator(address, { kind: 'domain' });
  for (const kind of kinds) {
    const parsed = kind === 'domain' ? domain : tryParseIndicator(address, { kind });
    if (!parsed.ok) continue;
    // A host that is the domain itself adds nothing: the domain listing covers it.
    if (kind === 'host' && domain.ok && parsed.indicator.value === domain.indicator.value) continue;
    found.set(expressionOf(parsed.indicator), parsed.indicator);
  }
  return [...found.values()];
}
