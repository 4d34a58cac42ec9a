import '../../lib/zod-jitless';
import { expressionOf } from '../../../shared';
import { send } from '../../lib/messages';
import { consoleCall, say } from '../../ui/console';
import { $, h, REASON_LABELS, refusedView } from '../../ui/dom';

const ENDED: Record<string, string> = {
  withdrawn: ' (withdrawn by your organization)',
  expired: ' (expired with its listing)',
  retired: ' (retired by a reviewer)',
};

/**
 * Withdraw, for a flag made by mistake: asks why (the audit log keeps it), then the flag stops counting and the
 * indicator is counted again. The API refuses other organizations' flags; re-flagging waits 24 hours.
 */
function withdrawControl(flagId: string, statusCell: HTMLElement): HTMLElement {
  const slot = h('span', {});
  const reason = h('input', { type: 'text', 'aria-label': 'Why this flag was a mistake', placeholder: 'Why it was a mistake', minlength: 3, maxlength: 2000 });
  const outcome = h('span', { role: 'status' });
  const go = h('button', { type: 'button', 'data-withdraw-confirm': flagId }, 'Withdraw');
  go.addEventListener('click', async () => {
    const why = (reason as HTMLInputElement).value.trim();
    if (why.length < 3) return say(outcome, 'Say why in a few words: the audit log keeps it.', true);
    go.setAttribute('disabled', '');
    const answer = await consoleCall('withdraw', { id: flagId, reason: why });
    if ('failure' in answer) {
      go.removeAttribute('disabled');
      return say(outcome, `Not withdrawn: ${answer.failure}`, true);
    }
    const now = answer.ok.indicator;
    statusCell.replaceChildren(
      h('span', { class: `status ${now.status}` }, now.status),
      ` ${now.orgCount} org${now.orgCount === 1 ? '' : 's'}${ENDED.withdrawn}`,
    );
    slot.replaceChildren(h('span', { role: 'status' }, 'Withdrawn.'));
  });
  const open = h('button', { type: 'button', 'data-withdraw': flagId, 'aria-label': 'Withdraw this flag' }, 'Withdraw…');
  open.addEventListener('click', () => {
    slot.replaceChildren(reason, ' ', go, ' ', outcome);
    (reason as HTMLInputElement).focus();
  });
  slot.append(open);
  return slot;
}

const more = $<HTMLButtonElement>('#more');
let cursor: string | undefined;

async function load(): Promise<void> {
  const page = await send('flags:mine', cursor ? { before: cursor } : {});
  if ('failure' in page) {
    $('#message').textContent = page.failure;
    return;
  }
  $('#rows').append(
    ...page.flags.map((f) => {
      const status = h(
        'td',
        {},
        h('span', { class: `status ${f.status}` }, f.status),
        ` ${f.orgCount} org${f.orgCount === 1 ? '' : 's'}`,
        f.live ? '' : ENDED[f.ended ?? 'retired'],
      );
      return h(
        'tr',
        { 'data-flag': f.id },
        h('td', {}, new Date(f.createdAt).toLocaleString()),
        h('td', {}, h('code', {}, expressionOf(f.indicator))),
        h('td', {}, REASON_LABELS[f.reason]),
        status,
        h('td', {}, f.live ? withdrawControl(f.id, status) : ''),
      );
    }),
  );
  if (!page.flags.length && !cursor) $('#message').textContent = 'No flags yet.';
  cursor = page.next ?? undefined;
  more.hidden = !cursor;
}

async function showRefused(): Promise<void> {
  $('#refused-slot').replaceChildren(refusedView(await send('refused:list'), () => void showRefused()));
}

more.addEventListener('click', () => void load());
await Promise.all([showRefused(), load()]);
