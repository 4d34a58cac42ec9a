import { expressionOf, registrableDomain, siteOf, tryParseIndicator, type FieldIssue, type Indicator, type IndicatorKind } from '../../../shared';
import { config } from '../config';
import { ApiError } from '../errors';

/** What this deployment never lists besides the shared platforms: its own domains, apps and handles. */
export interface Protected {
  domains: readonly string[];
  /** `kind:value` of apps and handles (PROTECTED_IDENTIFIERS). */
  identifiers: readonly string[];
}

/**
 * Parses every target or fails the whole request, naming each bad one: nothing is half-written. The
 * operator's own domains, apps and handles (`protect`) are never listable, like shared platforms.
 */
export function parseTargets(
  items: { target: string; kind?: IndicatorKind }[],
  path: (i: number) => string,
  protect: Protected = { domains: [], identifiers: [] },
): Indicator[] {
  const issues: FieldIssue[] = [];
  const indicators = items.map((item, i) => {
    const parsed = tryParseIndicator(item.target, { kind: item.kind });
    if (!parsed.ok) {
      issues.push({ path: path(i), message: parsed.error.message, code: parsed.error.code });
      return null;
    }
    const domain = siteOf(parsed.indicator);
    if (domain && protect.domains.includes(domain)) {
      issues.push({ path: path(i), message: `${domain} is this deployment's own domain and is never listed.`, code: 'shared_platform' });
      return null;
    }
    if (protect.identifiers.includes(expressionOf(parsed.indicator))) {
      issues.push({
        path: path(i),
        message: `${expressionOf(parsed.indicator)} is protected by this deployment and is never listed.`,
        code: 'shared_platform',
      });
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

/** What a deployment never lists: PROTECTED_DOMAINS with the API's own domain, and PROTECTED_IDENTIFIERS. */
export function protectedTargets(env: Env, requestUrl: string): Protected {
  const { PROTECTED_DOMAINS, PROTECTED_IDENTIFIERS } = config(env);
  let own: string[] = [];
  try {
    own = [registrableDomain(new URL(requestUrl).hostname)];
  } catch {
    // served from an address or a local name: nothing more to protect
  }
  return { domains: [...PROTECTED_DOMAINS, ...own], identifiers: PROTECTED_IDENTIFIERS };
}
