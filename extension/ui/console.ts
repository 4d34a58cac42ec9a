import type { ConsoleAnswer, ConsoleOp, ConsoleParams, ConsoleResult } from '../lib/console-ops';
import { send } from '../lib/messages';
import { h } from './dom';

/** One console operation through the background, typed by its name. */
export const consoleCall = <K extends ConsoleOp>(op: K, params: ConsoleParams<K>) =>
  send('console:call', { op, params }) as Promise<ConsoleAnswer<ConsoleResult<K>>>;

/** Writes an outcome where a screen reader hears it, marked as a failure when it is one. */
export function say(slot: HTMLElement, text: string, failed = false): void {
  slot.textContent = text;
  slot.classList.toggle('failure', failed);
}

/**
 * A button that asks before it acts: the first press turns it into "Sure? Yes / No" in place (no modal
 * dialog, so a keyboard user stays where they were), Yes runs the action.
 */
export function confirmButton(label: string, question: string, action: () => Promise<void>, attrs: Record<string, string> = {}): HTMLElement {
  const slot = h('span', { class: 'confirm' });
  const ask = h('button', { type: 'button', ...attrs }, label);
  const reset = () => {
    slot.replaceChildren(ask);
    ask.focus();
  };
  ask.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'primary', 'data-confirm': 'yes' }, 'Yes');
    const no = h('button', { type: 'button', 'data-confirm': 'no' }, 'No');
    yes.addEventListener('click', async () => {
      yes.setAttribute('disabled', '');
      await action();
    });
    no.addEventListener('click', reset);
    slot.replaceChildren(h('span', { role: 'alert' }, `${question} `), yes, ' ', no);
    no.focus();
  });
  slot.append(ask);
  return slot;
}

export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
