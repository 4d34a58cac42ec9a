import { coveringIndicators, expressionOf, isOnList, tryParseIndicator, type LookupResult } from '../../../shared';
import { readIndicators, type IndicatorRow } from '../db/indicators';

const listed = (row: IndicatorRow | undefined): row is IndicatorRow => isOnList(row?.status);

/** Looks up many raw inputs with one query; results say counts and reasons, never which organizations. */
export async function lookupInputs(db: D1Database, inputs: string[]): Promise<LookupResult[]> {
  const parsed = inputs.map((input) => tryParseIndicator(input));
  const covering = parsed.map((p, i) => (p.ok ? coveringIndicators(inputs[i]!, p.indicator) : []));
  const candidates = covering.flat();
  const unique = [...new Map(candidates.map((c) => [expressionOf(c), c])).values()];
  const rows = await readIndicators(db, unique);

  return parsed.map((p, i): LookupResult => {
    const input = inputs[i]!;
    if (!p.ok) return { input, indicator: null, error: p.error, status: 'unknown', reasons: [], orgCount: 0, matched: null };
    const own = rows.get(expressionOf(p.indicator));
    // The most specific listed indicator that covers the input answers for it.
    const cover = covering[i]!.map((c) => rows.get(expressionOf(c))).find(listed);
    const chosen = listed(own) ? own : (cover ?? own);
    return {
      input,
      indicator: p.indicator,
      error: null,
      status: chosen?.status ?? 'unknown',
      reasons: chosen?.reasons ?? [],
      orgCount: chosen?.orgCount ?? 0,
      matched: chosen && chosen !== own ? { kind: chosen.kind, value: chosen.value } : null,
      // A service is named only for what partners see: an unlisted report's grouping is the reviewers' to know.
      ...(chosen?.serviceId && listed(chosen) ? { service: chosen.serviceId } : {}),
    };
  });
}
