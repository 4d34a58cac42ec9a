import { coveringIndicators } from '../indicator/covering';
import { expressionOf, type Indicator } from '../indicator/kinds';
import { MAX_INPUT_LENGTH, tryParseIndicator } from '../indicator/parse';
import { isOnList } from '../list-rules';
import type { IndicatorSummary } from './common';
import type { LookupResult } from './lookup';

/*
 * The one lookup rule, for the API (rows from D1) and `flagline check --local` (a synced copy): an input answers
 * with its own indicator when that is on the list, else with the most specific listed indicator that covers it
 * (a URL's host, then its registrable domain), else with its own status. An unreadable input answers with its
 * own error and never sinks the others.
 */

/**
 * A lookup of some inputs, each parsed once: `candidates` are the indicators to read (the inputs' own and those
 * that cover them, each once), `answers` the results once `find` gives what is known of an indicator by `kind:value`.
 */
export function lookupPlan(inputs: readonly string[]): {
  candidates: Indicator[];
  answers: (find: (expression: string) => IndicatorSummary | undefined) => LookupResult[];
} {
  const parsed = inputs.map((input) => {
    const result = tryParseIndicator(input);
    return { input, result, covering: result.ok ? coveringIndicators(input, result.indicator) : [] };
  });
  const candidates = [...new Map(parsed.flatMap((p) => p.covering).map((indicator) => [expressionOf(indicator), indicator])).values()];
  return { candidates, answers: (find) => parsed.map((p) => answer(p.input, p.result, p.covering, find)) };
}

function answer(
  input: string,
  parsed: ReturnType<typeof tryParseIndicator>,
  covering: Indicator[],
  find: (expression: string) => IndicatorSummary | undefined,
): LookupResult {
  // An input too long to be read is named by its beginning, not echoed whole.
  const echo = input.length > MAX_INPUT_LENGTH ? `${input.slice(0, MAX_INPUT_LENGTH)}…` : input;
  if (!parsed.ok) return { input: echo, indicator: null, error: parsed.error, status: 'unknown', reasons: [], orgCount: 0, matched: null };
  const own = find(expressionOf(parsed.indicator));
  const cover = covering.map((indicator) => find(expressionOf(indicator))).find((row) => isOnList(row?.status));
  const chosen = isOnList(own?.status) ? own : (cover ?? own);
  return {
    input: echo,
    indicator: parsed.indicator,
    error: null,
    status: chosen?.status ?? 'unknown',
    reasons: chosen?.reasons ?? [],
    orgCount: chosen?.orgCount ?? 0,
    matched: chosen && chosen !== own ? { kind: chosen.kind, value: chosen.value } : null,
    // A service is named only for what partners see: an unlisted report's grouping is the reviewers' to know.
    ...(chosen?.service && isOnList(chosen.status) ? { service: chosen.service } : {}),
  };
}
