import '../../lib/zod-jitless';
import { browser } from '#imports';
import { coveringIndicators, expressionOf, isOnList, KIND_TABLE, tryParseIndicator } from '../../../shared';
import { send } from '../../lib/messages';
import type { PageItem } from '../../lib/page-indicators';
import { $, csamNotice, h } from '../../ui/dom';
import { verdictsCsv } from '../../lib/verdicts-csv';

/** The side panel's own window: it checks that window's active tab. */
const { id: windowId } = await browser.windows.getCurrent();
const listed = (it: PageItem) => isOnList(it.status);
let pageItems: PageItem[] = [];
let pageLinks: string[] = [];
let lineItems: PageItem[] = [];
let unreadableLines: { line: string; message: string }[] = [];

function verdict(it: PageItem): HTMLElement {
  const by = it.decidedBy === 'local' ? 'local copy' : it.decidedBy === 'lookup' ? 'lookup' : 'local copy: not listed';
  return h(
    'td',
    { 'data-verdict': it.status },
    h('span', { class: `status ${it.status}` }, it.status),
    it.matched ? h('div', {}, 'via ', h('code', {}, expressionOf(it.matched))) : '',
    h('div', { class: 'muted' }, by),
  );
}

const rows = (items: PageItem[]) =>
  items.map((it) =>
    h(
      'tr',
      { 'data-item': expressionOf(it.indicator) },
      h('td', {}, h('code', {}, it.input)),
      h('td', {}, h('code', {}, expressionOf(it.indicator))),
      verdict(it),
    ),
  );

/** The page's links covered by a listed indicator (the link itself, its host or its domain), outlined in the page. */
async function markPage(): Promise<number> {
  const onList = new Set(pageItems.filter(listed).flatMap((it) => [expressionOf(it.indicator), ...(it.matched ? [expressionOf(it.matched)] : [])]));
  const hrefs = pageLinks.filter((link) => {
    const parsed = tryParseIndicator(link);
    return parsed.ok && coveringIndicators(link, parsed.indicator).some((c) => onList.has(expressionOf(c)));
  });
  return send('panel:mark', { windowId, hrefs });
}

async function showPage(note: string): Promise<void> {
  $('#page-items').replaceChildren(...rows(pageItems));
  $('#page-table').hidden = !pageItems.length;
  const open = pageItems.filter((it) => it.decidedBy === null).length;
  const lookup = $<HTMLButtonElement>('#lookup');
  lookup.hidden = !open;
  lookup.textContent = `Look up the ${open} not listed here (sends ${open === 1 ? 'it' : 'them'} to the API)`;
  const marked = await markPage();
  // A payment id, app or handle of the page on the list: the page is a mirror of a listed service.
  // The rule of lib/mirror.ts, on verdicts the panel already has: identifiers that name one operator, on the list.
  const pays = pageItems.filter((it) => listed(it) && KIND_TABLE[it.indicator.kind].namesOneOperator);
  $('#pays-into').textContent = pays.length
    ? `Pays into a listed service: ${pays.map((it) => expressionOf(it.indicator)).join(', ')} ${pays.length === 1 ? 'is' : 'are'} on the list.`
    : '';
  $('#page-note').textContent = `${note}${marked ? ` ${marked} listed link${marked === 1 ? '' : 's'} outlined on the page.` : ''}`;
}

let checking = 0;
async function checkPage(): Promise<void> {
  // The previous tab's verdicts go at once: nothing shown belongs to a page that is no longer in front.
  const run = ++checking;
  pageItems = [];
  $('#pays-into').textContent = '';
  $('#page-items').replaceChildren();
  $('#page-table').hidden = true;
  $('#lookup').hidden = true;
  $('#page-note').textContent = 'Reading the page…';
  const page = await send('panel:page', { windowId });
  if (run !== checking) return; // another tab came to the front meanwhile
  $('#page').textContent = page.url ?? '';
  pageLinks = page.links;
  pageItems = page.items;
  if (page.unreadable) {
    $('#page-note').textContent = page.unreadable;
    $('#page-table').hidden = true;
    $('#lookup').hidden = true;
    return;
  }
  await showPage(
    `${pageItems.length} indicator${pageItems.length === 1 ? '' : 's'} checked against the local copy: nothing was sent but 4-byte hash prefixes of possible matches.`,
  );
}

$('#check-page').addEventListener('click', () => void checkPage());
// The panel follows its window's tab in front: a switch, or a new page loaded in it, is checked again.
browser.tabs.onActivated.addListener((active) => {
  if (active.windowId === windowId) void checkPage();
});
browser.tabs.onUpdated.addListener((_, change, tab) => {
  if (tab.windowId === windowId && tab.active && change.status === 'complete') void checkPage();
});
$('#lookup').addEventListener('click', async () => {
  const sent = pageItems.filter((it) => it.decidedBy === null).length;
  const answer = await send('panel:lookup', { items: pageItems });
  if ('failure' in answer) {
    $('#page-note').textContent = `Lookup failed: ${answer.failure}`;
    return;
  }
  pageItems = answer;
  await showPage(`Looked up ${sent} with the API (POST /v1/lookup); the rest were decided locally.`);
});

$('#check-lines').addEventListener('click', async () => {
  const lines = $<HTMLTextAreaElement>('#lines').value.split('\n');
  const local = await send('panel:lines', { lines });
  unreadableLines = local.unreadable;
  const open = local.items.filter((it) => it.decidedBy === null).length;
  // A pasted submission is what the reviewer asks about: one lookup for what the local copy cannot decide.
  const decided = open ? await send('panel:lookup', { items: local.items }) : local.items;
  // In the order they were pasted: a submission is read top to bottom.
  const pasted = new Map(local.items.map((it, i) => [it.input, i]));
  lineItems = ('failure' in decided ? local.items : decided).toSorted((a, b) => (pasted.get(a.input) ?? 0) - (pasted.get(b.input) ?? 0));
  $('#lines-items').replaceChildren(
    ...rows(lineItems),
    ...unreadableLines.map((u) => h('tr', { 'data-unreadable': '' }, h('td', {}, h('code', {}, u.line)), h('td', { colspan: 2, class: 'failure' }, u.message))),
  );
  $('#lines-table').hidden = !lineItems.length && !unreadableLines.length;
  $('#export').hidden = !lineItems.length && !unreadableLines.length;
  $('#lines-note').textContent =
    'failure' in decided
      ? `Decided locally only; the lookup failed: ${decided.failure}`
      : `${lineItems.length} checked: ${lineItems.length - open} by the local copy, ${open} by one lookup (sent to the API)${unreadableLines.length ? `; ${unreadableLines.length} line${unreadableLines.length === 1 ? '' : 's'} not checked on ${unreadableLines.length === 1 ? 'its' : 'their'} own (why beside each)` : ''}.`;
});

$('#export').addEventListener('click', () => {
  const csv = verdictsCsv(lineItems, unreadableLines);
  const link = h('a', { href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })), download: 'flagline-verdicts.csv' });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
});

$('#csam').replaceWith(csamNotice());
await checkPage();
