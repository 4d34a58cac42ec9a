import { browser } from '#imports';
import { ChangesResponse, ListResponse, LocalList, tryParseIndicator, registrableDomain, type ListEntry } from '../../shared';
import { api, ApiFailure, failureMessage } from './api';
import { listCopy, syncState, type SyncState } from './storage';

const ALARM = 'list-sync';
const MAX_BACKOFF_S = 3600;

let local: LocalList | null = null;

async function loaded(): Promise<LocalList> {
  if (!local) {
    const stored = await listCopy.getValue();
    local = await LocalList.fromSnapshot(stored);
  }
  return local;
}

async function save(list: LocalList): Promise<void> {
  await listCopy.setValue({ version: list.version, checksum: list.checksum(), entries: [...list.entries.values()] });
}

async function resync(): Promise<LocalList> {
  const snapshot = await api(ListResponse, '/v1/list');
  return LocalList.fromSnapshot(snapshot);
}

/**
 * Brings the local copy up to date through the delta endpoint, resyncing from the full list when the
 * server says so or a checksum disagrees, then waits what the server asks (backing off on errors).
 */
export async function syncList(): Promise<SyncState> {
  const state = await syncState.getValue();
  let next: SyncState;
  try {
    let list = await loaded();
    let pollAfterSeconds = state.pollAfterSeconds;
    if (list.version === 0 && list.entries.size === 0) list = await resync();
    for (let more = true; more; ) {
      let page: ChangesResponse;
      try {
        page = await api(ChangesResponse, `/v1/changes?since=${list.version}&limit=1000`);
      } catch (error) {
        if (error instanceof ApiFailure && error.code === 'resync_required') {
          list = await resync();
          continue;
        }
        throw error;
      }
      if (!(await list.applyPage(page))) list = await resync();
      more = page.more;
      pollAfterSeconds = page.pollAfterSeconds;
    }
    local = list;
    await save(list);
    next = { lastSyncAt: Date.now(), lastError: null, failures: 0, pollAfterSeconds };
  } catch (error) {
    const failures = state.failures + 1;
    next = { ...state, lastError: failureMessage(error), failures, pollAfterSeconds: Math.min(MAX_BACKOFF_S, 60 * 2 ** failures) };
  }
  await syncState.setValue(next);
  await browser.alarms.create(ALARM, { delayInMinutes: Math.max(0.5, next.pollAfterSeconds / 60) });
  return next;
}

/**
 * Decides locally whether a page's URL is covered by the list: its own indicator, its host or its
 * registrable domain. Nothing about the page leaves the browser.
 */
export async function checkUrl(url: string): Promise<ListEntry | null> {
  if (!/^https?:/i.test(url)) return null;
  const list = await loaded();
  const keys: string[] = [];
  const parsed = tryParseIndicator(url);
  if (parsed.ok) keys.push(`${parsed.indicator.kind}:${parsed.indicator.value}`);
  try {
    const host = new URL(url).hostname;
    keys.push(`host:${host}`, `domain:${registrableDomain(host)}`);
  } catch {
    /* no domain (an IP address or a local name) */
  }
  for (const key of keys) {
    const entry = list.entries.get(key);
    if (entry) return entry;
  }
  return null;
}

export async function listSize(): Promise<{ version: number; size: number }> {
  const list = await loaded();
  return { version: list.version, size: list.entries.size };
}

/** Forgets the copy (a new endpoint or key means another list). */
export async function resetList(): Promise<void> {
  local = null;
  await listCopy.removeValue();
  await syncState.removeValue();
}

export const SYNC_ALARM = ALARM;
