import '../../lib/zod-jitless';
import { expressionOf, REVIEW_MOVES, type QueueItem } from '../../../shared';
import { consoleCall, say, when } from '../../ui/console';
import { $, h, REASON_LABELS } from '../../ui/dom';

type Decision = 'confirm' | 'reject' | 'delist';
const DECISIONS: Decision[] = ['confirm', 'reject', 'delist'];
const LABELS: Record<Decision, string> = { confirm: 'Confirm (list)', reject: 'Reject', delist: 'Delist' };
const WHY: Record<QueueItem['why'], string> = { dispute: 'Appeal', expiry: 'Expiry', report: 'Corroboration' };

const message = $('#message');

function waitingFor(item: QueueItem): HTMLElement {
  const due = item.dueAt ? ` ${item.why === 'dispute' ? 'due' : 'on'} ${when(item.dueAt)}` : '';
  return h(
    'td',
    {},
    `${WHY[item.why]}${due}`,
    item.overdue ? h('span', { class: 'status listed', 'data-overdue': '' }, 'overdue') : '',
    item.openDisputes ? h('div', { class: 'muted' }, `${item.openDisputes} open appeal${item.openDisputes === 1 ? '' : 's'}`) : '',
  );
}

function evidence(item: QueueItem): HTMLElement {
  const { orgCount, reasons } = item.indicator;
  return h(
    'td',
    {},
    h('div', {}, `${orgCount} organization${orgCount === 1 ? '' : 's'}${reasons.length ? `: ${reasons.map((r) => REASON_LABELS[r]).join(', ')}` : ''}`),
    item.signals.length ? h('div', { class: 'muted' }, `Signals: ${item.signals.map((s) => `${s.type} ×${s.count}`).join(', ')}`) : '',
    h('div', { class: 'muted' }, `First seen ${when(item.firstSeen)}, last ${when(item.lastSeen)}`),
    item.evidence?.length ? flagEvidence(item.evidence) : '',
    ...(item.appeals ?? []).map((appeal) =>
      h(
        'blockquote',
        { 'data-appeal': appeal.id },
        h(
          'div',
          { class: 'muted' },
          `${appeal.from === 'public' ? `Appeal from ${appeal.contact}` : 'Dispute from a member organization'}, ${when(appeal.createdAt)}`,
        ),
        h('p', {}, appeal.statement),
      ),
    ),
  );
}

/** Each live flag's evidence as it was sent: what the page showed, the analyst's note, never the organization. */
function flagEvidence(flags: NonNullable<QueueItem['evidence']>): HTMLElement {
  return h(
    'details',
    { 'data-evidence': '' },
    h('summary', {}, `Evidence of ${flags.length} flag${flags.length === 1 ? '' : 's'}`),
    ...flags.map((flag) =>
      h(
        'div',
        { class: 'evidence' },
        h('div', { class: 'muted' }, `${REASON_LABELS[flag.reason]}, ${when(flag.at)}`),
        flag.evidence?.title ? h('div', {}, `Title: ${flag.evidence.title}`) : '',
        flag.evidence?.url ? h('div', {}, 'Page: ', h('code', {}, flag.evidence.url)) : '',
        flag.evidence?.redirectChain?.length ? h('div', {}, 'Redirects: ', h('code', {}, flag.evidence.redirectChain.join(' → '))) : '',
        ...(flag.evidence?.signals ?? []).map((signal) => h('div', {}, `${signal.type}: `, h('code', {}, signal.value))),
        flag.note ? h('div', {}, `Note: ${flag.note}`) : '',
      ),
    ),
  );
}

/** The decisions the list rules allow from this status, for the indicator or (confirm/delist) its whole service. */
function decisionForm(item: QueueItem, row: HTMLElement): HTMLElement {
  const key = expressionOf(item.indicator);
  const reason = h('textarea', { id: `reason-${key}`, rows: 2, 'aria-required': 'true', maxlength: 2000 });
  const scope = item.service
    ? h(
        'select',
        { id: `scope-${key}`, 'data-scope': '' },
        h('option', { value: 'indicator' }, 'This indicator'),
        h('option', { value: 'service' }, `Every indicator of ${item.service.name}`),
      )
    : null;
  // What the appellants read: written for them, apart from the audit reason (without it they read a neutral answer).
  const publicReason = item.openDisputes ? h('textarea', { id: `public-${key}`, rows: 2, maxlength: 1000 }) : null;
  const result = h('span', { role: 'status' });
  // A whole-service decision moves exactly the members shown here (the API refuses it if they changed since).
  const preview = h('ul', { 'data-service-members': '', class: 'muted' });
  let seen: string | null = null;
  scope?.addEventListener('change', async () => {
    seen = null;
    preview.replaceChildren();
    if (scope.value !== 'service' || !item.service) return;
    const answer = await consoleCall('service', { id: item.service.id });
    if ('failure' in answer) return say(result, answer.failure, true);
    const members = answer.ok.members ?? answer.ok.entries;
    preview.replaceChildren(
      h('li', {}, `This decision applies to ${members.length} indicator${members.length === 1 ? '' : 's'}:`),
      ...members.map((m) =>
        h(
          'li',
          {},
          h('code', {}, expressionOf(m)),
          ' ',
          h('span', { class: `status ${m.status}` }, m.status),
          ` ${m.orgCount} org${m.orgCount === 1 ? '' : 's'}`,
        ),
      ),
    );
    seen = answer.ok.seen ?? null;
  });
  const buttons = DECISIONS.filter((d) => REVIEW_MOVES[d].from.includes(item.indicator.status)).map((d) =>
    h('button', { type: 'submit', value: d, 'data-decide': d }, LABELS[d]),
  );
  const form = h(
    'form',
    // Checked here, not by the browser's bubble, so the refusal is said in the page where a screen reader hears it.
    { 'data-decide-for': key, novalidate: true },
    h('label', { for: reason.id }, 'Reason (kept in the audit log)'),
    reason,
    publicReason ? h('label', { for: publicReason.id }, 'Answer for the appellants (optional; they read this, never the reason above)') : '',
    publicReason,
    scope ? h('label', { for: scope.id }, 'Applies to') : '',
    scope,
    preview,
    h('div', { class: 'row' }, ...buttons),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const action = ((event as SubmitEvent).submitter as HTMLButtonElement | null)?.value as Decision | undefined;
    if (!action) return;
    if (reason.value.trim().length < 3) {
      say(result, 'Write why first: the reason goes to the audit log.', true);
      reason.focus();
      return;
    }
    const wholeService = scope?.value === 'service' && item.service;
    if (wholeService && !seen) {
      say(result, 'Wait for the service’s indicators to be shown: the decision applies to exactly those.', true);
      return;
    }
    for (const b of buttons) b.setAttribute('disabled', '');
    const text = await (wholeService
      ? consoleCall('decideService', { id: item.service!.id, action: action === 'reject' ? 'delist' : action, reason: reason.value.trim(), seen: seen! }).then(
          (a) =>
            'ok' in a
              ? `${a.ok.decided.length} indicator${a.ok.decided.length === 1 ? '' : 's'} of ${a.ok.service.name} decided, ${a.ok.skipped.length} left as they were.`
              : a,
        )
      : consoleCall('decide', { action, indicator: item.indicator, reason: reason.value.trim(), publicReason: publicReason?.value.trim() || undefined }).then(
          (a) => ('ok' in a ? `Decided: ${a.ok.from} → ${a.ok.indicator.status}.` : a),
        ));
    if (typeof text !== 'string') {
      say(result, text.failure, true);
      for (const b of buttons) b.removeAttribute('disabled');
      return;
    }
    row.setAttribute('data-decided', action);
    form.replaceChildren(h('span', { role: 'status', class: 'decided' }, text));
    say(message, `${key}: ${text}`);
  });
  return form;
}

function itemRow(item: QueueItem): HTMLElement {
  const key = expressionOf(item.indicator);
  const row = h('tr', { 'data-item': key });
  row.append(
    h(
      'td',
      {},
      h('code', {}, key),
      ' ',
      h('span', { class: `status ${item.indicator.status}` }, item.indicator.status),
      // A new front of a brand already on the list: confirming it is one step.
      item.mirrorOf ? h('div', { class: 'mirror', 'data-mirror-of': item.mirrorOf.id }, `Mirror of a listed service: ${item.mirrorOf.name}`) : '',
      item.service
        ? h(
            'div',
            { class: 'muted' },
            'Service: ',
            h(
              'button',
              { type: 'button', class: 'link', 'data-open-service': item.service.id, onclick: () => void openService(item.service!.id) },
              `${item.service.name}${item.service.state === 'proposed' ? ' (proposed)' : ''}`,
            ),
          )
        : '',
    ),
    waitingFor(item),
    evidence(item),
    h('td', {}, decisionForm(item, row)),
  );
  return row;
}

/** One brand's service: its listed indicators, and the reviewer's rename, merge and split. */
let openServiceId: string | null = null;
async function openService(id: string): Promise<void> {
  const answer = await consoleCall('service', { id });
  if ('failure' in answer) return say(message, answer.failure, true);
  const service = answer.ok;
  openServiceId = service.id;
  $('#service').hidden = false;
  $('#service-heading').textContent = `${service.name} (${service.state}, ${service.id})`;
  // Reviewers get every member, reported ones too; the entries on the list otherwise.
  $('#service-entries').replaceChildren(
    ...(service.members ?? service.entries).map((entry) => {
      const key = expressionOf(entry);
      const box = h('input', { type: 'checkbox', id: `move-${key}`, 'data-move': key });
      return h(
        'li',
        {},
        box,
        h('label', { for: box.id, style: 'margin:0;color:inherit' }, h('code', {}, key), ' ', h('span', { class: `status ${entry.status}` }, entry.status)),
      );
    }),
    ...(service.truncated ? [h('li', { class: 'muted' }, 'More indicators than shown.')] : []),
  );
  $('#service-heading').focus();
}

$('#open-service').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = $<HTMLInputElement>('#service-id').value.trim();
  if (id) void openService(id);
});

$('#service-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const op = ((event as SubmitEvent).submitter as HTMLButtonElement | null)?.value;
  const result = $('#service-result');
  const reason = $<HTMLTextAreaElement>('#service-reason').value.trim();
  const name = $<HTMLInputElement>('#service-name').value.trim();
  if (!openServiceId || !op) return;
  if (reason.length < 3) return say(result, 'Write why first: the reason goes to the audit log.', true);
  const id = openServiceId;
  const answer =
    op === 'rename'
      ? await consoleCall('renameService', { id, name, reason })
      : op === 'merge'
        ? await consoleCall('mergeServices', {
            id,
            from: $<HTMLInputElement>('#merge-from')
              .value.split(/[\s,]+/)
              .filter(Boolean),
            reason,
          })
        : await consoleCall('splitService', {
            id,
            name,
            reason,
            indicators: [...document.querySelectorAll<HTMLInputElement>('input[data-move]:checked')].map((box) => box.dataset.move!),
          });
  if ('failure' in answer) return say(result, answer.failure, true);
  const { service, moved } = answer.ok;
  say(
    result,
    op === 'rename'
      ? `Renamed: ${service.name}.`
      : op === 'merge'
        ? `Merged: ${moved} indicator${moved === 1 ? '' : 's'} moved into ${service.name}.`
        : `Moved ${moved} indicator${moved === 1 ? '' : 's'} to the new service ${service.name} (${service.id}).`,
  );
  await openService(id);
  await load();
});

async function load(): Promise<void> {
  say(message, 'Loading…');
  const who = await consoleCall('whoami', {});
  if ('failure' in who) return say(message, who.failure, true);
  $('#who').textContent = `${who.ok.org.name}, ${who.ok.key.role} key “${who.ok.key.label}”`;
  if (who.ok.key.role !== 'reviewer') {
    $('#items').replaceChildren();
    return say(message, "The queue is for the operator's reviewer keys; this key cannot decide for partners.", true);
  }
  $('#items').replaceChildren();
  await loadPage(0);
}

/** One page of the queue, its items of one service side by side under the service's name; "Show more" pages on. */
async function loadPage(offset: number): Promise<void> {
  const queue = await consoleCall('queue', { offset });
  if ('failure' in queue) return say(message, queue.failure, true);
  const order: string[] = [];
  const groups = new Map<string, QueueItem[]>();
  for (const item of queue.ok.items) {
    const key = item.service?.id ?? expressionOf(item.indicator);
    if (!groups.has(key)) order.push(key);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  $('#more-row')?.remove();
  for (const key of order) {
    const items = groups.get(key)!;
    const service = items[0]!.service;
    if (service && items.length > 1) {
      $('#items').append(
        h(
          'tr',
          { class: 'group', 'data-group': service.id },
          h('th', { colspan: 4, scope: 'rowgroup' }, `${service.name}: ${items.length} waiting (decide one, or every indicator of the service)`),
        ),
      );
    }
    $('#items').append(...items.map(itemRow));
  }
  if (queue.ok.next !== null && queue.ok.next !== undefined) {
    const next = queue.ok.next;
    $('#items').append(
      h('tr', { id: 'more-row' }, h('td', { colspan: 4 }, h('button', { type: 'button', 'data-more': '', onclick: () => void loadPage(next) }, 'Show more'))),
    );
  }
  const shown = $('#items').querySelectorAll('tr[data-item]').length;
  say(
    message,
    shown
      ? `${shown} waiting${queue.ok.next ? ' (more below)' : ''}; ${queue.ok.threshold} member organizations list an indicator without a reviewer.`
      : 'Nothing waits for a decision.',
  );
}

$('#refresh').addEventListener('click', () => void load());
await load();
