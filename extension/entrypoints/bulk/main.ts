import '../../lib/zod-jitless';
import { expressionOf, MAX_FLAGS_PER_REQUEST, tryParseIndicator, type FlagInput, type Reason } from '../../../shared';
import { send } from '../../lib/messages';
import { suggestReason } from '../../lib/page-target';
import { $, csamNotice, h, reasonSelect } from '../../ui/dom';

const lines = $<HTMLTextAreaElement>('#lines');
const submit = $<HTMLButtonElement>('#submit');
/** The reason of each line: suggested by the one rule the popup uses, changed by the analyst per line or for all. */
const chosen = new Map<string, Reason>();
const forAll = reasonSelect('', 'reason-all');
forAll.prepend(h('option', { value: '', selected: true }, 'Suggested per line'));
forAll.addEventListener('change', () => {
  if (!forAll.value) return;
  for (const { line, parsed } of parsedLines()) if (parsed.ok) chosen.set(line, forAll.value as Reason);
  preview();
});
$('#reason-slot').replaceWith(forAll);
$('#csam').replaceWith(csamNotice());

const reasonOf = (line: string, parsed: ReturnType<typeof tryParseIndicator>): Reason =>
  chosen.get(line) ?? suggestReason(parsed.ok ? parsed.indicator : null, [], line);

const parsedLines = () =>
  [
    ...new Set(
      lines.value
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ].map((line) => ({ line, parsed: tryParseIndicator(line) }));

function lineReason(line: string, parsed: ReturnType<typeof tryParseIndicator>): HTMLSelectElement {
  const select = reasonSelect(reasonOf(line, parsed), '');
  select.removeAttribute('id');
  select.setAttribute('aria-label', `Reason for ${line}`);
  select.dataset.line = line;
  select.addEventListener('change', () => chosen.set(line, select.value as Reason));
  return select;
}

function preview(): void {
  const rows = parsedLines();
  const valid = rows.filter((r) => r.parsed.ok);
  $('#preview').replaceChildren(
    ...rows.map(({ line, parsed }) =>
      h(
        'tr',
        {},
        h('td', {}, h('code', {}, line)),
        parsed.ok ? h('td', { class: 'ok' }, h('code', {}, expressionOf(parsed.indicator))) : h('td', { class: 'bad' }, parsed.error.message),
        h('td', {}, parsed.ok ? lineReason(line, parsed) : ''),
      ),
    ),
  );
  submit.textContent = `Flag ${valid.length} valid`;
  submit.disabled = valid.length === 0 || valid.length > MAX_FLAGS_PER_REQUEST;
  if (valid.length > MAX_FLAGS_PER_REQUEST) $('#result').textContent = `At most ${MAX_FLAGS_PER_REQUEST} per batch.`;
}

lines.addEventListener('input', preview);
submit.addEventListener('click', async () => {
  submit.disabled = true;
  const inputs: FlagInput[] = parsedLines().flatMap(({ line, parsed }) => (parsed.ok ? [{ target: line, reason: reasonOf(line, parsed) }] : []));
  const outcome = await send('flag:submit', { inputs, source: 'bulk' });
  $('#result').textContent =
    outcome.state === 'sent'
      ? `${outcome.results.filter((r) => r.outcome === 'accepted').length} flagged, ${outcome.results.filter((r) => r.outcome === 'already_flagged').length} already flagged by your organization.`
      : outcome.state === 'queued'
        ? `Saved; will send when the API is reachable (${outcome.message}).`
        : `Not flagged: ${outcome.message}`;
  submit.disabled = false;
});
preview();
