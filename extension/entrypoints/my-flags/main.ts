import '../../lib/zod-jitless';
import { expressionOf } from '../../../shared';
import { send } from '../../lib/messages';
import { $, h, REASON_LABELS, refusedView } from '../../ui/dom';

const more = $<HTMLButtonElement>('#more');
let cursor: string | undefined;

async function load(): Promise<void> {
  const page = await send('flags:mine', cursor ? { before: cursor } : {});
  if ('failure' in page) {
    $('#message').textContent = page.failure;
    return;
  }
  $('#rows').append(
    ...page.flags.map((f) =>
      h(
        'tr',
        { 'data-flag': f.id },
        h('td', {}, new Date(f.createdAt).toLocaleString()),
        h('td', {}, h('code', {}, expressionOf(f.indicator))),
        h('td', {}, REASON_LABELS[f.reason]),
        h(
          'td',
          {},
          h('span', { class: `status ${f.status}` }, f.status),
          ` ${f.orgCount} org${f.orgCount === 1 ? '' : 's'}`,
          f.live ? '' : ' (retired by a reviewer)',
        ),
      ),
    ),
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
