import { expressionOf, isOnList, registrableDomain, tryParseIndicator, type Indicator, type LookupResult } from '../../../shared';
import { readIndicators, type IndicatorRow } from '../db/indicators';

/** Indicators whose listing also covers this one: a URL is covered by its host and its domain. */
function coveringIndicators(indicator: Indicator): Indicator[] {
  if (indicator.kind !== 'url' && indicator.kind !== 'host') return [];
  const host = indicator.kind === 'url' ? new URL(indicator.value).hostname : indicator.value;
  const covering: Indicator[] = indicator.kind === 'url' ? [{ kind: 'host', value: host }] : [];
  try {
    covering.push({ kind: 'domain', value: registrableDomain(host) });
  } catch {
    /* an IP address has no domain */
  }
  return covering;
}

const listed = (row: IndicatorRow | undefined): row is IndicatorRow => isOnList(row?.status);

/** Looks up many raw inputs with one query; results say counts and reasons, never which organizations. */
export async function lookupInputs(db: D1Database, inputs: string[]): Promise<LookupResult[]> {
  const parsed = inputs.map((input) => tryParseIndicator(input));
  const candidates = parsed.flatMap((p) => (p.ok ? [p.indicator, ...coveringIndicators(p.indicator)] : []));
  const unique = [...new Map(candidates.map((c) => [expressionOf(c), c])).values()];
  const rows = await readIndicators(db, unique);

  return parsed.map((p, i): LookupResult => {
    const input = inputs[i]!;
    if (!p.ok) return { input, indicator: null, error: p.error, status: 'unknown', reasons: [], orgCount: 0, matched: null };
    const own = rows.get(expressionOf(p.indicator));
    const cover = coveringIndicators(p.indicator)
      .map((c) => rows.get(expressionOf(c)))
      .find(listed);
    const chosen = listed(own) ? own : (cover ?? own);
    return {
      input,
      indicator: p.indicator,
      error: null,
      status: chosen?.status ?? 'unknown',
      reasons: chosen?.reasons ?? [],
      orgCount: chosen?.orgCount ?? 0,
      matched: chosen && chosen !== own ? { kind: chosen.kind, value: chosen.value } : null,
    };
  });
}
