import { browser } from '#imports';
import { coveringIndicators, expressionOf, FullHashResponse, PrefixSetResponse, tryParseIndicator, type ListEntry, type PublicKeys } from '../../shared';
import { PrefixCopy, send, SyncError, syncCopy, trustedKeys, type GetJson } from '../../shared/client';
import { api, connection, failureMessage } from './api';
import { keyPins, prefixCopy, syncState, type SyncState } from './storage';

const ALARM = 'list-sync';
const MAX_BACKOFF_S = 3600;
/** Past this many exact changes on top of the prefix set, fetching a fresh set is cheaper. */
const OVERLAY_LIMIT = 5_000;

let copy: PrefixCopy | null = null;
/** Full hashes already fetched for a prefix, valid while the copy stays at the same version. */
const fullHashes = new Map<string, { version: number; matches: FullHashResponse['matches'] }>();

async function loaded(): Promise<PrefixCopy | null> {
  if (!copy) {
    const stored = await prefixCopy.getValue();
    copy = stored ? PrefixCopy.restore(stored) : null;
  }
  return copy;
}

async function fetchSet(getJson: GetJson, publicKeys: PublicKeys): Promise<PrefixCopy> {
  const res = await getJson('/v1/prefixes');
  if (res.status !== 200) throw new SyncError('http', `/v1/prefixes answered ${res.status}.`, res.status >= 500);
  return PrefixCopy.fromSet(PrefixSetResponse.parse(res.body), publicKeys);
}

/**
 * The key this endpoint's lists must be signed with, by the rule the CLI follows: pinned on first use, moved only
 * by a rotation the pinned key signed. A copy signed by any other key (a mirror's) is refused, never applied.
 */
async function pinnedKeys(endpoint: string, getJson: GetJson): Promise<PublicKeys> {
  const pins = await keyPins.getValue();
  const trust = await trustedKeys(getJson, pins[endpoint] ?? null);
  if (trust.pin !== pins[endpoint]) await keyPins.setValue({ ...pins, [endpoint]: trust.pin });
  return trust.keys;
}

/** The fingerprint trusted for the connected endpoint (null before the first sync). */
export async function pinnedFingerprint(): Promise<string | null> {
  const { endpoint } = await connection();
  return (await keyPins.getValue())[endpoint] ?? null;
}

/**
 * Forgets the connected endpoint's pin and the copy it verified, then syncs: the key served now is pinned. For
 * the analyst who checked the new fingerprint with the operator after a key was replaced without a rotation.
 */
export async function repin(): Promise<SyncState> {
  const { endpoint } = await connection();
  const { [endpoint]: _, ...others } = await keyPins.getValue();
  await keyPins.setValue(others);
  await resetList();
  return syncList();
}

/**
 * Keeps the local copy current: the signed prefix set once, then signed delta pages on top of it from
 * the changes endpoint (a fresh set when the server says resync or the changes pile up). Waits what the
 * server asks between polls and backs off on errors.
 */
export async function syncList(): Promise<SyncState> {
  const state = await syncState.getValue();
  let next: SyncState;
  try {
    const conn = await connection();
    const { endpoint } = conn;
    const getJson: GetJson = (path) => send(conn, path);
    // Asked every sync (a small answer with an ETag): a rotation is followed at once, a swapped key set refused at once.
    const publicKeys = await pinnedKeys(endpoint, getJson);
    // The one sync loop (shared with the CLI), over the prefix copy: a fresh set when the exact changes pile up.
    const result = await syncCopy({
      getJson,
      keys: publicKeys,
      copy: await loaded(),
      snapshot: () => fetchSet(getJson, publicKeys),
      refresh: (current) => current.overlaySize > OVERLAY_LIMIT,
      save: async (current) => {
        copy = current;
        await prefixCopy.setValue(current.toStored());
      },
    });
    const { pollAfterSeconds } = result;
    next = { lastSyncAt: Date.now(), lastError: null, failures: 0, pollAfterSeconds };
  } catch (error) {
    const failures = state.failures + 1;
    next = { ...state, lastError: failureMessage(error), failures, pollAfterSeconds: Math.min(MAX_BACKOFF_S, 60 * 2 ** failures) };
  }
  await syncState.setValue(next);
  await browser.alarms.create(ALARM, { delayInMinutes: Math.max(0.5, next.pollAfterSeconds / 60) });
  return next;
}

/** The expressions an input stands for: its own indicator, then (for a URL) its host and registrable domain (the one covering rule). */
function expressionsOf(input: string): string[] {
  const parsed = tryParseIndicator(input);
  return parsed.ok ? coveringIndicators(input, parsed.indicator).map(expressionOf) : [];
}

/**
 * Whether each input (a page URL, a link, an app id…) is covered by the list, decided locally. Only when an
 * expression's 4-byte prefix is in the set without an exact local answer does the server hear anything: those
 * prefixes, all in one request, never the inputs. null: not on the list (or no copy yet, or offline on a hit).
 */
export async function checkInputs(inputs: string[]): Promise<(ListEntry | null)[]> {
  const current = await loaded();
  if (!current) return inputs.map(() => null);
  const answers: (ListEntry | null)[] = inputs.map(() => null);
  const hits: { index: number; expression: string; prefix: string }[] = [];
  for (const [index, input] of inputs.entries()) {
    for (const expression of expressionsOf(input)) {
      const verdict = current.check(expression);
      if (verdict && 'entry' in verdict) {
        answers[index] = verdict.entry;
        break;
      }
      if (verdict) hits.push({ index, expression, prefix: verdict.prefix });
    }
  }
  const open = hits.filter((h) => answers[h.index] === null);
  const unknown = [...new Set(open.map((h) => h.prefix))].filter((p) => fullHashes.get(p)?.version !== current.version);
  if (unknown.length) {
    try {
      const { matches } = await api(FullHashResponse, '/v1/hashes', { method: 'POST', body: { prefixes: unknown } });
      for (const prefix of unknown) fullHashes.set(prefix, { version: current.version, matches: matches.filter((m) => m.prefix === prefix) });
    } catch {
      return answers; // offline: no verdict rather than a guess
    }
  }
  // The most specific expression that matches answers for its input (hits are in covering order).
  for (const { index, expression, prefix } of open) {
    if (answers[index]) continue;
    const match = fullHashes.get(prefix)?.matches.find((m) => m.hash === PrefixCopy.fullHash(expression));
    if (match) answers[index] = { kind: match.kind, value: match.value, status: match.status, reasons: match.reasons, orgCount: match.orgCount };
  }
  return answers;
}

/** Whether a web page is covered by the list, decided locally (see checkInputs). */
export async function checkUrl(url: string): Promise<ListEntry | null> {
  if (!/^https?:/i.test(url)) return null;
  return (await checkInputs([url]))[0]!;
}

export async function listSize(): Promise<{ version: number; size: number }> {
  const current = await loaded();
  if (!current) return { version: 0, size: 0 };
  // Approximate: a removal may concern an entry added after the set was taken.
  return { version: current.version, size: Math.max(0, current.set.entryCount + current.added.size - current.removed.size) };
}

/** Forgets the copy (a new endpoint or key means another list). */
export async function resetList(): Promise<void> {
  copy = null;
  fullHashes.clear();
  await prefixCopy.removeValue();
  await syncState.removeValue();
}

export const SYNC_ALARM = ALARM;
