import { expressionOf, MAX_FLAGS_PER_REQUEST, tryParseIndicator, type FlagInput } from '../../../shared';
import { send } from '../../lib/messages';
import { $, csamNotice, h, reasonSelect } from '../../ui/dom';

const lines = $<HTMLTextAreaElement>('#lines');
const submit = $<HTMLButtonElement>('#submit');
const reason = reasonSelect('nudify_site');
$('#reason-slot').replaceWith(reason);
$('#csam').replaceWith(csamNotice());

const parsedLines = () =>
  [
    ...new Set(
      lines.value
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ].map((line) => ({ line, parsed: tryParseIndicator(line) }));

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
  const inputs: FlagInput[] = parsedLines().flatMap(({ line, parsed }) => (parsed.ok ? [{ target: line, reason: reason.value as FlagInput['reason'] }] : []));
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
