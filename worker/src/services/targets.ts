import { tryParseIndicator, type FieldIssue, type Indicator, type IndicatorKind } from '../../../shared';
import { ApiError } from '../errors';

/** Parses every target or fails the whole request, naming each bad one: nothing is half-written. */
export function parseTargets(items: { target: string; kind?: IndicatorKind }[], path: (i: number) => string): Indicator[] {
  const issues: FieldIssue[] = [];
  const indicators = items.map((item, i) => {
    const parsed = tryParseIndicator(item.target, { kind: item.kind });
    if (parsed.ok) return parsed.indicator;
    issues.push({ path: path(i), message: parsed.error.message, code: parsed.error.code });
    return null;
  });
  if (issues.length) {
    const message = issues.length === 1 ? issues[0]!.message : `${issues.length} targets cannot be listed; see fields.`;
    throw new ApiError(400, 'invalid_indicator', message, issues);
  }
  return indicators as Indicator[];
}
