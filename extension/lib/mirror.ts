import { expressionOf, isOnList, KIND_TABLE, type Indicator, type ListEntry } from '../../shared';
import { showBadge } from './badge';
import { checkInputs } from './list-sync';

/*
 * A page that is not listed itself but pays into something that is (its checkout's merchant id, its app, its bot,
 * its wallet): a mirror of a listed service. One rule for the popup, the side panel and the badge, decided from the
 * local copy: nothing new leaves the browser (a prefix hit the copy cannot confirm asks for that prefix only).
 */

/** Identifiers that name one operator (KIND_TABLE's namesOneOperator), not sites that mirrors share. */
const namesOneOperator = (indicator: Indicator): boolean => KIND_TABLE[indicator.kind].namesOneOperator;

/** The page's identifiers that are on the list, each with its entry. */
export async function listedIdentifiers(indicators: readonly Indicator[]): Promise<{ indicator: Indicator; entry: ListEntry }[]> {
  const ids = indicators.filter(namesOneOperator);
  const verdicts = await checkInputs(ids.map(expressionOf));
  return ids.flatMap((indicator, i) => {
    const entry = verdicts[i];
    return entry && isOnList(entry.status) ? [{ indicator, entry }] : [];
  });
}

/** The badge of a tab that pays into a listed service: `!`, naming what is listed. */
export const showMirrorBadge = (tabId: number, listed: ListEntry) =>
  showBadge(tabId, {
    text: '!',
    color: '#b42318',
    title: `Flagline: this page pays into a listed service (${listed.kind}:${listed.value} is ${listed.status})`,
  });
