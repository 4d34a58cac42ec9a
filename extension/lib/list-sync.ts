import { browser } from '#imports';
import { fetchPublicKeys, LocalList, registrableDomain, syncLocalList, tryParseIndicator, type GetJson, type ListEntry, type PublicKeys } from '../../shared';
import { failureMessage } from './api';
import { listCopy, settings, syncState, type SyncState } from './storage';

const ALARM = 'list-sync';
const MAX_BACKOFF_S = 3600;

let local: LocalList | null = null;
let keys: { endpoint: string; keys: PublicKeys } | null = null;

async function loaded(): Promise<LocalList> {
  if (!local) local = await LocalList.fromSnapshot(await listCopy.getValue());
  return local;
}

async function save(list: LocalList): Promise<void> {
  local = list;
  await listCopy.setValue({ version: list.version, checksum: list.checksum(), entries: [...list.entries.values()] });
}

/**
 * Brings the local copy up to date through the delta endpoint with the shared sync engine (signatures
 * verified before anything is applied, resync when told), then waits what the server asks, backing off
 * on errors.
 */
export async function syncList(): Promise<SyncState> {
  const state = await syncState.getValue();
  let next: SyncState;
  try {
    const { endpoint, apiKey } = await settings.getValue();
    if (!apiKey) throw new Error('not connected');
    const getJson: GetJson = async (path) => {
      const response = await fetch(new URL(path, endpoint), { headers: { authorization: `Bearer ${apiKey}` } });
      return { status: response.status, body: await response.json().catch(() => null) };
    };
    if (keys?.endpoint !== endpoint) keys = { endpoint, keys: await fetchPublicKeys(getJson) };
    const current = await loaded();
    const { pollAfterSeconds } = await syncLocalList({
      getJson,
      keys: keys.keys,
      list: current.version === 0 && current.entries.size === 0 ? null : current,
      save,
    });
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
  keys = null;
  await listCopy.removeValue();
  await syncState.removeValue();
}

export const SYNC_ALARM = ALARM;
