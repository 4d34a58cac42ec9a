import { registrableDomain, tryParseIndicator, type FieldIssue, type Indicator, type IndicatorKind } from '../../../shared';
import { ApiError } from '../errors';

/** The registrable domain a web indicator lives on, or null (apps, merchants, IP hosts…). */
function domainOf(indicator: Indicator): string | null {
  try {
    if (indicator.kind === 'domain') return indicator.value;
    if (indicator.kind === 'host') return registrableDomain(indicator.value);
    if (indicator.kind === 'url') return registrableDomain(new URL(indicator.value).hostname);
  } catch {
    /* an IP address has no domain */
  }
  return null;
}

/**
 * Parses every target or fails the whole request, naming each bad one: nothing is half-written. The
 * operator's own domains (`protect`) are never listable, like shared platforms.
 */
export function parseTargets(items: { target: string; kind?: IndicatorKind }[], path: (i: number) => string, protect: readonly string[] = []): Indicator[] {
  const issues: FieldIssue[] = [];
  const indicators = items.map((item, i) => {
    const parsed = tryParseIndicator(item.target, { kind: item.kind });
    if (!parsed.ok) {
      issues.push({ path: path(i), message: parsed.error.message, code: parsed.error.code });
      return null;
    }
    const domain = domainOf(parsed.indicator);
    if (domain && protect.includes(domain)) {
      issues.push({ path: path(i), message: `${domain} is this deployment's own domain and is never listed.`, code: 'shared_platform' });
      return null;
    }
    return parsed.indicator;
  });
  if (issues.length) {
    const message = issues.length === 1 ? issues[0]!.message : `${issues.length} targets cannot be listed; see fields.`;
    throw new ApiError(400, 'invalid_indicator', message, issues);
  }
  return indicators as Indicator[];
}

/** The domains a deployment never lists: its configured PROTECTED_DOMAINS and the API's own domain. */
export function protectedDomains(configured: readonly string[], requestUrl: string): string[] {
  try {
    return [...configured, registrableDomain(new URL(requestUrl).hostname)];
  } catch {
    return [...configured]; // served from an address or a local name: nothing more to protect
  }
}
