import '../../lib/zod-jitless';
import { browser } from '#imports';
import { API_KEY_PATTERN } from '../../../shared';
import { keySafeEndpoint } from '../../../shared/client/http';
import { KNOWN_CONSOLES } from '../../lib/consoles';
import { send } from '../../lib/messages';
import { ALL_SITES, hasAllSites, WHY_ALL_SITES } from '../../lib/permissions';
import { safeViewEnabled, settings, workbenchDomains } from '../../lib/storage';
import { $, csamNotice } from '../../ui/dom';

/** This computer: plain http stays on it. */
const endpoint = $<HTMLInputElement>('#endpoint');
const apiKey = $<HTMLInputElement>('#apiKey');
const result = $('#connection-result');

const current = await settings.getValue();
endpoint.value = current.endpoint;
apiKey.value = current.apiKey;
$('#why').textContent = WHY_ALL_SITES;
$('#csam').replaceWith(csamNotice());

$('#connection').addEventListener('submit', async (event) => {
  event.preventDefault();
  const next = { endpoint: endpoint.value.trim().replace(/\/+$/, ''), apiKey: apiKey.value.trim() };
  const url = new URL(next.endpoint);
  if (!keySafeEndpoint(url)) {
    // The key would cross the network in the clear; Firefox also upgrades such a request to https, which a
    // plain-http server never answers.
    result.textContent = `Use https for an API that is not on this computer (https://${url.host}).`;
    return;
  }
  // A custom endpoint needs its own host permission (only the default API's host is granted at install).
  // Asked first, while the click still counts as a user gesture; a host already granted answers at once. The
  // pattern names no port: Chrome ignores ports in patterns, Firefox would match one literally and ask again.
  const origin = `${url.protocol}//${url.hostname}/*`;
  const allowed = await browser.permissions.request({ origins: [origin] }).catch(() => false);
  if (!API_KEY_PATTERN.test(next.apiKey)) {
    result.textContent = 'That is not a Flagline API key (flk_ followed by 43 characters).';
    return;
  }
  if (!allowed) {
    result.textContent = `Flagline needs permission to reach ${url.origin}.`;
    return;
  }
  result.textContent = 'Testing…';
  const who = await send('settings:test', next);
  if ('failure' in who) {
    result.textContent = `Not saved: ${who.failure}`;
    return;
  }
  await settings.setValue(next);
  result.textContent = `Connected as ${who.org.name} (${who.key.role}).`;
});

// Chrome says whether the button is on the toolbar; Firefox does not, and the instructions stand alone there.
const action = browser.action as typeof browser.action & { getUserSettings?: () => Promise<{ isOnToolbar?: boolean }> };
const pinned = await action.getUserSettings?.().catch(() => null);
if (pinned?.isOnToolbar !== undefined) {
  $('#pin-state').textContent = pinned.isOnToolbar ? 'Pinned: the badge is in sight.' : 'Not pinned yet: the badge cannot be seen until it is.';
}

const grantState = async () => {
  const granted = await hasAllSites();
  $('#grant-state').textContent = granted ? 'Allowed.' : 'Not allowed: only pages you flag from are read.';
  $<HTMLButtonElement>('#grant').disabled = granted;
};
$('#grant').addEventListener('click', async () => {
  await browser.permissions.request({ origins: [...ALL_SITES.origins], permissions: [...ALL_SITES.permissions] });
  await grantState();
});
await grantState();

$('#known-consoles').textContent = KNOWN_CONSOLES.map((c) => c.name).join(', ');
const workbench = $<HTMLTextAreaElement>('#workbench');
workbench.value = (await workbenchDomains.getValue()).join('\n');
$('#save-workbench').addEventListener('click', async () => {
  // A pasted console URL counts for its host.
  const hostOf = (line: string) => {
    try {
      return new URL(/^[a-z]+:\/\//i.test(line) ? line : `http://${line}`).hostname.toLowerCase();
    } catch {
      return null;
    }
  };
  const lines = workbench.value
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const bad = lines.filter((l) => !hostOf(l));
  if (bad.length) {
    $('#workbench-state').textContent = `Not a domain: ${bad.join(', ')}`;
    return;
  }
  const domains = [...new Set(lines.map((l) => hostOf(l)!))];
  await workbenchDomains.setValue(domains);
  workbench.value = domains.join('\n');
  $('#workbench-state').textContent = domains.length ? `Saved: ${domains.length} domain${domains.length === 1 ? '' : 's'}.` : 'Saved: no workbench domains.';
});

const safeView = $<HTMLInputElement>('#safeView');
safeView.checked = await safeViewEnabled.getValue();
safeView.addEventListener('change', () => void safeViewEnabled.setValue(safeView.checked));

const syncSummary = (state: { lastError: string | null; size: number; version: number; lastSyncAt: number | null }) =>
  state.lastError
    ? `Failed: ${state.lastError}`
    : `${state.size} entries at version ${state.version}, synced ${new Date(state.lastSyncAt!).toLocaleTimeString()}.`;
const showFingerprint = (fingerprint: string | null) => {
  $('#key-fingerprint').textContent = fingerprint ?? 'none yet (pinned on the first sync)';
};
showFingerprint((await send('keys:pinned')).fingerprint);

$('#sync').addEventListener('click', async () => {
  $('#sync-state').textContent = 'Syncing…';
  $('#sync-state').textContent = syncSummary(await send('sync:now'));
  showFingerprint((await send('keys:pinned')).fingerprint);
});

$('#repin').addEventListener('click', async () => {
  $('#repin-state').textContent = 'Syncing with the key the API serves now…';
  const state = await send('keys:repin');
  showFingerprint(state.fingerprint);
  $('#repin-state').textContent = syncSummary(state);
});
