import '../lib/zod-jitless';
import { browser } from '#imports';
import { isOnList } from '../../shared';
import { OwnFlagsPage, WhoAmI } from '../../shared';
import { api, ApiFailure, failureMessage } from '../lib/api';
import { consoleCallOf, isConsoleOp } from '../lib/console-ops';
import { decideByLookup, decideLocally, indicatorsOfLines, rankItems } from '../lib/page-indicators';
import { markLinks, panelPage } from '../lib/panel';
import { createContextMenus, onContextMenuClick } from '../lib/context-menus';
import { listSize, pinnedFingerprint, repin, resetList, SYNC_ALARM, syncList } from '../lib/list-sync';
import { handleMessages } from '../lib/messages';
import { dismissRefused, flushOutbox, OUTBOX_ALARM, submitFlags } from '../lib/outbox';
import { popupState } from '../lib/popup-state';
import { flagCurrentTab } from '../lib/quick-flag';
import { watchRedirects } from '../lib/redirects';
import { refusedFlags, settings, welcomed } from '../lib/storage';
import { updateAllTabs, watchTabs } from '../lib/tab-status';

// Wiring only: each listener hands off to a module in lib/. The background alone talks to the API.
export default defineBackground(() => {
  browser.runtime.onInstalled.addListener(({ reason }) => {
    createContextMenus();
    if (reason === 'install') void welcomeOnce();
    void syncList().then(updateAllTabs);
  });
  browser.runtime.onStartup.addListener(() => void syncList().then(updateAllTabs));
  // Every time the background starts (browser start, update, wake-up): deliver what waits in the outbox.
  void flushOutbox();

  browser.alarms.onAlarm.addListener(({ name }) => {
    if (name === OUTBOX_ALARM) void flushOutbox();
    if (name === SYNC_ALARM) void syncList().then(updateAllTabs);
  });
  browser.contextMenus.onClicked.addListener((info, tab) => void onContextMenuClick(info, tab));
  browser.commands.onCommand.addListener((command) => {
    if (command === 'flag-current-tab') void flagCurrentTab();
  });
  settings.watch((next, previous) => {
    if (next.endpoint !== previous?.endpoint || next.apiKey !== previous?.apiKey) void resetList().then(syncList).then(updateAllTabs);
  });

  watchTabs();
  watchRedirects();
  // Granted on the options page: start recording redirects and badge the open tabs without a restart.
  browser.permissions.onAdded.addListener(() => {
    watchRedirects();
    void updateAllTabs();
  });

  // What the analyst just flagged, or just saw listed in the popup, reaches the badge at once, not at the next poll.
  const refreshNow = () => void syncList().then(updateAllTabs);
  handleMessages({
    'popup:init': async ({ windowId }) => {
      const state = await popupState(windowId);
      if (state.lookup && 'status' in state.lookup && isOnList(state.lookup.status)) refreshNow();
      return state;
    },
    'flag:submit': async ({ inputs, source }) => {
      const outcome = await submitFlags(inputs, source);
      if (outcome.state === 'sent') refreshNow();
      return outcome;
    },
    'flags:mine': ({ before }) =>
      api(OwnFlagsPage, `/v1/flags?limit=100${before ? `&before=${encodeURIComponent(before)}` : ''}`).catch((e) => ({ failure: failureMessage(e) })),
    'settings:test': (override) => api(WhoAmI, '/v1/whoami', {}, override).catch((e) => ({ failure: failureMessage(e) })),
    'sync:now': async () => {
      const state = await syncList();
      await updateAllTabs();
      return { ...state, ...(await listSize()) };
    },
    'keys:pinned': async () => ({ fingerprint: await pinnedFingerprint().catch(() => null) }),
    'keys:repin': async () => {
      const state = await repin();
      await updateAllTabs();
      return { ...state, ...(await listSize()), fingerprint: await pinnedFingerprint().catch(() => null) };
    },
    'outbox:retry': () => flushOutbox({ force: true }),
    'refused:list': () => refusedFlags.getValue(),
    'refused:dismiss': ({ id }) => dismissRefused(id),
    'panel:page': ({ windowId }) => panelPage(windowId),
    'panel:lookup': async ({ items }) => {
      try {
        const decided = rankItems(await decideByLookup(items));
        if (decided.some((it) => it.decidedBy === 'lookup' && isOnList(it.status))) refreshNow();
        return decided;
      } catch (error) {
        return { failure: failureMessage(error) };
      }
    },
    'panel:lines': async ({ lines }) => {
      const { items, unreadable } = indicatorsOfLines(lines);
      return { items: await decideLocally(items), unreadable };
    },
    'panel:mark': ({ windowId, hrefs }) => markLinks(windowId, hrefs),
    'console:call': async ({ op, params }) => {
      if (!isConsoleOp(op)) return { failure: `No operation ${String(op)}.`, code: 'invalid_request' };
      const call = consoleCallOf(op, params);
      try {
        return { ok: await api(call.schema, call.path, { method: call.method, body: call.body }) };
      } catch (error) {
        return { failure: failureMessage(error), code: error instanceof ApiFailure ? error.code : 'internal_error' };
      }
    },
  });
});

/** The options page on a first install only, and only while there is no key to set up. */
async function welcomeOnce() {
  if ((await welcomed.getValue()) || (await settings.getValue()).apiKey) return;
  await welcomed.setValue(true);
  await browser.runtime.openOptionsPage();
}
