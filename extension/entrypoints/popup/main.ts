import '../../lib/zod-jitless';
import { browser } from '#imports';
import { expressionOf, type FlagInput, type Signal } from '../../../shared';
import { send, type FlagOutcome, type PopupState } from '../../lib/messages';
import type { PageItem } from '../../lib/page-indicators';
import { toEvidence } from '../../lib/page-evidence';
import { $, csamNotice, h, REASON_LABELS, reasonSelect, refusedView } from '../../ui/dom';

const SIGNAL_LABELS: Partial<Record<Signal['type'], string>> = {
  stripe_js: 'Stripe.js',
  stripe_publishable_key: 'Stripe key',
  stripe_account: 'Stripe account',
  paypal_sdk: 'PayPal SDK',
  paypal_client_id: 'PayPal client id',
  paypal_merchant: 'PayPal merchant',
  merchant_id: 'Merchant id',
  checkout_script: 'Checkout script',
  checkout_host: 'Checkout',
  wallet: 'Wallet',
  app_link: 'App link',
  app_id: 'App id',
  handle: 'Handle',
};

function outcomeView(outcome: FlagOutcome): HTMLElement {
  if (outcome.state === 'queued')
    return h('div', { class: 'result queued', role: 'status' }, `Saved; will send when the API is reachable (${outcome.message})`);
  if (outcome.state === 'failed') return h('div', { class: 'result failed', role: 'alert' }, `Not flagged: ${outcome.message}`);
  return h(
    'div',
    { class: 'result sent', role: 'status' },
    ...outcome.results.map((r) =>
      h(
        'div',
        {},
        r.outcome === 'accepted' ? 'Flagged ' : 'Already flagged by your organization: ',
        h('code', {}, expressionOf(r.indicator)),
        ` (${r.status}, ${r.orgCount} org${r.orgCount === 1 ? '' : 's'})`,
      ),
    ),
  );
}

function statusView(state: PopupState): HTMLElement {
  const { lookup } = state;
  if (!lookup) return h('span', { class: 'muted' }, state.configured ? '' : 'Not connected');
  if ('failure' in lookup) return h('span', { class: 'muted' }, `Status unavailable: ${lookup.failure}`);
  const via = lookup.matched ? ` via ${lookup.matched.kind} ${lookup.matched.value}` : '';
  return h(
    'span',
    {},
    h('span', { class: `status ${lookup.status}`, id: 'status' }, lookup.status),
    lookup.status === 'unknown'
      ? ''
      : ` ${lookup.orgCount} organization${lookup.orgCount === 1 ? '' : 's'}${lookup.reasons.length ? `: ${lookup.reasons.map((r) => REASON_LABELS[r]).join(', ')}` : ''}${via}`,
  );
}

/** The side panel (Chrome) or sidebar (Firefox) beside this tab: opened from the popup, so activeTab covers it. */
async function openSidePanel(): Promise<void> {
  const api = browser as unknown as { sidePanel?: { open(o: { windowId: number }): Promise<void> }; sidebarAction?: { open(): Promise<void> } };
  if (api.sidePanel && windowId !== undefined) await api.sidePanel.open({ windowId });
  else await api.sidebarAction?.open();
  window.close();
}

/** The popup's own window: it acts on that window's active tab and no other. */
const { id: windowId } = await browser.windows.getCurrent();
const init = () => send('popup:init', { windowId });

/** On a workbench page: every indicator the page shows, with its status, each flaggable on its own. */
function workbenchView(workbench: NonNullable<PopupState['workbench']>): HTMLElement {
  const row = (item: PageItem) => {
    const out = h('span', {});
    const key = expressionOf(item.indicator);
    return h(
      'li',
      { 'data-item': key },
      h('span', { class: `status ${item.status}` }, item.status),
      h('code', {}, key),
      item.matched ? h('span', { class: 'muted' }, `via ${expressionOf(item.matched)}`) : '',
      out,
      h(
        'button',
        {
          type: 'button',
          'data-flag-detected': key,
          // Each button says what it flags: a screen reader hears more than a row of "Flag".
          'aria-label': `Flag ${key}`,
          onclick: async () =>
            // No page evidence: the console's address and title are the organization's, not the service's.
            out.replaceChildren(outcomeView(await send('flag:submit', { inputs: [{ target: key, reason: item.reason }], source: 'popup' }))),
        },
        'Flag',
      ),
    );
  };
  return h(
    'div',
    { class: 'detected', id: 'workbench' },
    h('p', {}, `${workbench.host} is one of your organization's consoles: it is never proposed. What the page shows:`),
    workbench.items.length ? h('ul', { class: 'plain' }, ...workbench.items.map(row)) : h('p', { class: 'muted' }, 'No indicators found on this page.'),
    h(
      'p',
      { class: 'muted' },
      "Opening the popup here looked these up with the API. A flag from here carries no page evidence: the console's address stays private.",
    ),
  );
}

function render(state: PopupState): void {
  const app = $('#app');
  const header = h(
    'header',
    {},
    h('h1', {}, 'Flagline'),
    h(
      'nav',
      {},
      h('button', { type: 'button', id: 'open-panel', class: 'link', onclick: () => void openSidePanel() }, 'Check page'),
      h('a', { href: '/my-flags.html', target: '_blank' }, 'My flags'),
      h('a', { href: '/bulk.html', target: '_blank' }, 'Bulk'),
      h('a', { href: '/options.html', target: '_blank' }, 'Options'),
    ),
  );
  if (!state.configured) {
    app.replaceChildren(
      header,
      h('p', {}, 'Connect Flagline to your organization first.'),
      h('button', { class: 'primary', autofocus: true, onclick: () => window.open('/options.html') }, 'Open options'),
      csamNotice(),
    );
    return;
  }
  if (state.unflaggable) {
    app.replaceChildren(
      header,
      h('p', { id: 'unflaggable', role: 'status' }, state.unflaggable),
      h('p', { class: 'muted' }, 'Use Bulk to paste a list.'),
      pendingView(state),
      csamNotice(),
    );
    return;
  }
  if (state.workbench) {
    app.replaceChildren(header, workbenchView(state.workbench), pendingView(state), csamNotice());
    return;
  }
  if (!state.target) {
    app.replaceChildren(header, h('p', { class: 'muted' }, 'Open a web page to flag it, or use Bulk to paste a list.'), pendingView(state), csamNotice());
    return;
  }
  if (!state.target.ok) {
    app.replaceChildren(
      header,
      h(
        'div',
        { class: 'target' },
        h('div', { class: 'muted' }, 'This page cannot be flagged as it is:'),
        h('div', { id: 'target-error' }, state.target.error.message),
        state.consoleHint ? h('p', { class: 'muted', id: 'console-hint' }, state.consoleHint) : '',
      ),
      pendingView(state),
      csamNotice(),
    );
    return;
  }
  const indicator = state.target.indicator;
  const evidence = state.evidence;
  const checks = new Map<Signal, HTMLInputElement>();
  const result = h('div', { id: 'result' });
  const flagButton = h('button', { class: 'primary', type: 'submit', id: 'flag' }, 'Flag');

  const form = h(
    'form',
    {
      onsubmit: async (event: Event) => {
        event.preventDefault();
        flagButton.disabled = true;
        const input: FlagInput = {
          target: expressionOf(indicator),
          reason: ($('#reason') as HTMLSelectElement).value as FlagInput['reason'],
          ...(($('#note') as HTMLTextAreaElement).value.trim() ? { note: ($('#note') as HTMLTextAreaElement).value.trim() } : {}),
          ...(evidence ? { evidence: toEvidence(evidence, (s) => checks.get(s)?.checked ?? false) } : {}),
        };
        result.replaceChildren(outcomeView(await send('flag:submit', { inputs: [input], source: 'popup' })));
        flagButton.disabled = false;
      },
    },
    h('label', { for: 'reason' }, 'Reason'),
    reasonSelect(state.suggestedReason),
    h('label', { for: 'note' }, 'Note (optional)'),
    h('textarea', { id: 'note', rows: 2, maxlength: 2000 }),
    evidence
      ? h(
          'div',
          {},
          h('h2', {}, 'Evidence sent (text only)'),
          h(
            'ul',
            { class: 'plain evidence' },
            h('li', {}, h('span', { class: 'muted' }, 'Title'), evidence.title || '—'),
            ...(evidence.redirectChain.length
              ? [h('li', {}, h('span', { class: 'muted' }, 'Redirects'), h('code', {}, (toEvidence(evidence).redirectChain ?? []).join(' → ')))]
              : []),
            ...evidence.signals.map((signal) => {
              const box = h('input', { type: 'checkbox', checked: true, 'data-signal': signal.type });
              checks.set(signal, box);
              return h(
                'li',
                {},
                h(
                  'label',
                  { style: 'display:flex;gap:6px;margin:0;color:inherit' },
                  box,
                  h('span', { class: 'muted' }, SIGNAL_LABELS[signal.type] ?? signal.type),
                  h('code', {}, signal.value),
                ),
              );
            }),
          ),
          ...evidence.unreadFrames.map((frame) => h('p', { class: 'muted unread-frame' }, `Not read: a frame from ${frame.origin}, because ${frame.reason}.`)),
        )
      : h('p', { class: 'muted' }, 'Page text could not be read (allow Flagline on all sites in Options for evidence).'),
    h('div', { class: 'actions' }, flagButton, h('span', { class: 'muted' }, 'Enter flags')),
    result,
  );

  const detected = state.detected.length
    ? h(
        'div',
        { class: 'detected' },
        h('h2', {}, 'Also on this page'),
        h(
          'ul',
          { class: 'plain' },
          ...state.detected.map(({ indicator: d, reason }) => {
            const out = h('span', {});
            return h(
              'li',
              {},
              h('code', {}, expressionOf(d)),
              out,
              h(
                'button',
                {
                  type: 'button',
                  'data-flag-detected': expressionOf(d),
                  'aria-label': `Flag ${expressionOf(d)}`,
                  onclick: async () =>
                    out.replaceChildren(
                      outcomeView(
                        await send('flag:submit', {
                          inputs: [
                            {
                              target: expressionOf(d),
                              reason,
                              // The same evidence checklist as the main Flag button: only what the analyst left checked.
                              ...(evidence ? { evidence: toEvidence(evidence, (s) => checks.get(s)?.checked ?? false) } : {}),
                            },
                          ],
                          source: 'popup',
                        }),
                      ),
                    ),
                },
                'Flag',
              ),
            );
          }),
        ),
      )
    : null;

  app.replaceChildren(
    header,
    h('div', { class: 'target' }, h('div', { class: 'muted' }, indicator.kind), h('div', { class: 'value', id: 'target' }, indicator.value), statusView(state)),
    // Decided from the local copy: the page takes payment (or links its app or bot) through something on the list.
    state.paysInto.length
      ? h(
          'p',
          { class: 'mirror', id: 'pays-into', role: 'status' },
          'Pays into a listed service: ',
          ...state.paysInto.flatMap(({ entry }, i) => [
            i ? ', ' : '',
            h('code', {}, `${entry.kind}:${entry.value}`),
            ` is ${entry.status} (${entry.orgCount} org${entry.orgCount === 1 ? '' : 's'})`,
          ]),
          '. Flag this page with that id left checked in its evidence: the reviewers see it as a mirror of that service.',
        )
      : '',
    form,
    detected ?? '',
    pendingView(state),
    csamNotice(),
  );
  // Enter flags, but the popup stays at the top: target, status and reason in view, however long the evidence.
  flagButton.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

function pendingView(state: PopupState): HTMLElement {
  const waiting = state.pending.length
    ? h(
        'div',
        { id: 'pending' },
        h('h2', {}, `Waiting to send (${state.pending.length})`),
        h(
          'ul',
          { class: 'plain' },
          ...state.pending.map((p) => h('li', {}, h('code', {}, p.inputs.map((i) => i.target).join(', ')), h('span', { class: 'muted' }, p.lastError ?? ''))),
        ),
        h(
          'button',
          {
            type: 'button',
            onclick: async () => {
              await send('outbox:retry');
              render(await init());
            },
          },
          'Retry now',
        ),
      )
    : '';
  return h(
    'div',
    {},
    waiting,
    refusedView(state.refused, async () => render(await init())),
  );
}

render(await init());
