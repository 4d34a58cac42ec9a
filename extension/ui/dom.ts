import type { RefusedFlag } from '../lib/storage';
import { send } from '../lib/messages';

type Child = Node | string | null | undefined | false;

/** A tiny element builder: h('button', { class: 'primary', onclick }, 'Flag'). Text is always text, never HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, unknown>> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value as EventListener);
    else if (key in el && typeof value !== 'string') (el as unknown as Record<string, unknown>)[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

export const $ = <T extends HTMLElement = HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

export const REASON_LABELS = {
  nudify_site: 'Nudify site',
  nudify_app: 'Nudify app or bot',
  payment_front: 'Payment front / checkout',
  affiliate: 'Affiliate or promoter',
  other: 'Other',
} as const;

export const reasonSelect = (selected: string, id = 'reason') =>
  h('select', { id, name: 'reason' }, ...Object.entries(REASON_LABELS).map(([value, label]) => h('option', { value, selected: value === selected }, label)));

/** Where analysts look first: suspected CSAM never goes to Flagline. */
export const csamNotice = () =>
  h(
    'p',
    { class: 'csam' },
    'Suspected child sexual abuse material is not reported here: report it to ',
    h('a', { href: 'https://report.cybertip.org/', target: '_blank', rel: 'noopener' }, 'NCMEC CyberTipline'),
    ' or the ',
    h('a', { href: 'https://report.iwf.org.uk/', target: '_blank', rel: 'noopener' }, 'IWF'),
    '. Flagline never takes images.',
  );

/** Flags the API refused for good, each with its reason and a Dismiss button (popup and My flags). */
export function refusedView(refused: RefusedFlag[], onChange: () => void): HTMLElement | string {
  if (!refused.length) return '';
  return h(
    'div',
    { id: 'refused', role: 'alert' },
    h('h2', {}, `Not accepted (${refused.length})`),
    h(
      'ul',
      { class: 'plain' },
      ...refused.map((r) =>
        h(
          'li',
          { 'data-refused': r.id },
          h('code', {}, r.inputs.map((i) => i.target).join(', ')),
          ' ',
          h('span', { class: 'refusal' }, r.message),
          ' ',
          h(
            'button',
            {
              type: 'button',
              'data-dismiss': r.id,
              onclick: async () => {
                await send('refused:dismiss', { id: r.id });
                onChange();
              },
            },
            'Dismiss',
          ),
        ),
      ),
    ),
  );
}
