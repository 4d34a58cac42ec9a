import {
  detectedIndicators,
  expressionOf,
  FIRST_STATUS,
  KIND_TABLE,
  LookupResponse,
  ON_LIST,
  tryParseIndicator,
  type Indicator,
  type LookupStatus,
  type Reason,
  type Signal,
} from '../../shared';
import { api } from './api';
import { knownConsole } from './consoles';
import { checkInputs } from './list-sync';
import { suggestReason } from './page-target';

/** One indicator a page shows (or a pasted line names), with where it was found and what the list says. */
export interface PageItem {
  indicator: Indicator;
  /** What it was read from: the link or the value as found, checked with the covering rule. */
  input: string;
  reason: Reason;
  status: LookupStatus;
  /** The listed indicator that answered, when it is not this one (the domain of a host). */
  matched: Indicator | null;
  /** Who decided: the local copy (nothing sent), the API lookup (sent), or nobody yet. */
  decidedBy: 'local' | 'lookup' | null;
}

/** On the list (listed, then disputed) first, then reported, unknown, and delisted last. */
const statusRank = (status: LookupStatus): number =>
  status === 'unknown'
    ? ON_LIST.length + 1
    : ON_LIST.includes(status)
      ? ON_LIST.indexOf(status)
      : status === FIRST_STATUS
        ? ON_LIST.length
        : ON_LIST.length + 2;

const hostOf = (url: string) => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
};
const onDomains = (host: string, domains: readonly string[]) => domains.some((d) => host === d || host.endsWith(`.${d}`));
/** A page of the organization's own consoles: a domain it added, or a big store's or processor's console (lib/consoles.ts). */
export const isWorkbench = (url: string, domains: readonly string[]) => onDomains(hostOf(url), domains) || knownConsole(url) !== null;

const item = (indicator: Indicator, input: string, reason: Reason): PageItem => ({
  indicator,
  input,
  reason,
  status: 'unknown',
  matched: null,
  decidedBy: null,
});

/**
 * Every indicator a page shows: the merchant ids, apps, handles and wallets of its signals, and what its links
 * point to (the developer's site, privacy and support pages, store listings), without the page's own site or
 * the workbench's, and without shared platforms. Deduplicated, at most 200. `withPage`: the page's own
 * indicator first (never on a workbench console).
 */
export function indicatorsOnPage(
  page: { url: string; links: string[]; signals: Signal[] },
  skipDomains: readonly string[],
  { withPage = false } = {},
): PageItem[] {
  const seen = new Set<string>();
  const items: PageItem[] = [];
  const own = hostOf(page.url);
  const add = (indicator: Indicator, input: string) => {
    const key = expressionOf(indicator);
    if (seen.has(key) || items.length >= 200) return;
    seen.add(key);
    items.push(item(indicator, input, suggestReason(indicator, page.signals, input)));
  };
  const console = isWorkbench(page.url, skipDomains);
  const self = withPage && !console ? tryParseIndicator(page.url) : null;
  if (self?.ok) add(self.indicator, page.url);
  for (const { indicator } of detectedIndicators(page.signals)) add(indicator, expressionOf(indicator));
  for (const link of page.links) {
    const host = hostOf(link);
    // Never a console page; the page's own site only off a built-in console (Play Console links to the Play listing).
    if (!host || isWorkbench(link, skipDomains) || (host === own && !knownConsole(page.url))) continue;
    const parsed = tryParseIndicator(link);
    if (parsed.ok) add(parsed.indicator, link);
  }
  return items;
}

/** Pasted lines (one identifier a line), as items; lines that cannot be read come back with their error. */
export function indicatorsOfLines(lines: string[]): { items: PageItem[]; unreadable: { line: string; message: string }[] } {
  const items: PageItem[] = [];
  const unreadable: { line: string; message: string }[] = [];
  const seen = new Map<string, string>();
  for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
    const parsed = tryParseIndicator(line);
    if (!parsed.ok) unreadable.push({ line, message: parsed.error.message });
    else {
      const expression = expressionOf(parsed.indicator);
      const first = seen.get(expression);
      // A repeat is said, not dropped: the reviewer sees every pasted line accounted for.
      if (first !== undefined) unreadable.push({ line, message: `Same indicator as "${first}" (${expression}): checked once, above.` });
      else {
        seen.set(expression, line);
        items.push(item(parsed.indicator, line, suggestReason(parsed.indicator, [], line)));
      }
    }
  }
  return { items, unreadable };
}

/** Decides from the local copy: listed and disputed entries are known here; nothing but hash prefixes leaves. */
export async function decideLocally(items: PageItem[]): Promise<PageItem[]> {
  const entries = await checkInputs(items.map((i) => i.input));
  return items.map((it, i) => {
    const entry = entries[i];
    if (!entry) return it;
    const matched = entry.kind === it.indicator.kind && entry.value === it.indicator.value ? null : { kind: entry.kind, value: entry.value };
    return { ...it, status: entry.status, matched, decidedBy: 'local' };
  });
}

/** One lookup call for what the local copy could not decide (reported, or unknown to the list): sends those inputs. */
export async function decideByLookup(items: PageItem[]): Promise<PageItem[]> {
  const open = items.filter((it) => it.decidedBy !== 'local');
  if (!open.length) return items;
  const { results } = await api(LookupResponse, '/v1/lookup', { method: 'POST', body: { inputs: open.map((it) => it.input) } });
  const byInput = new Map(open.map((it, i) => [it, results[i]!]));
  return items.map((it) => {
    const result = byInput.get(it);
    return result ? { ...it, status: result.status, matched: result.matched, decidedBy: 'lookup' } : it;
  });
}

/** Most likely first: on the list before not, then by kind (apps and merchant ids before sites), then as found. */
export const rankItems = (items: PageItem[]): PageItem[] =>
  items
    .map((it, i) => [it, i] as const)
    .sort(([a, i], [b, j]) => statusRank(a.status) - statusRank(b.status) || KIND_TABLE[a.indicator.kind].rank - KIND_TABLE[b.indicator.kind].rank || i - j)
    .map(([it]) => it);
