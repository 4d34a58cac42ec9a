import { ChangesResponse, ListResponse } from '../api/list';
import { ErrorBody } from '../api/errors';
import { LocalList } from './local-list';
import { SyncError } from './sync-error';
import { KeyRotations, listStatement, PublicKeys, verifyStatement, type KeyRotation } from '../signed-statements';
import { keyFingerprint, trustServedKeys } from './key-pin';

type Signature = ChangesResponse['signature'];

/** A GET against the Flagline API, answering the status and parsed JSON (the transport is the caller's). */
export type GetJson = (path: string) => Promise<{ status: number; body: unknown }>;

export interface SyncProgress {
  pages: number;
  changes: number;
  version: number;
  resynced: boolean;
}

async function get<T>(getJson: GetJson, path: string, parse: (body: unknown) => T): Promise<{ status: number; data: T | null; error?: string }> {
  let response: { status: number; body: unknown };
  try {
    response = await getJson(path);
  } catch (error) {
    throw new SyncError('network', `Cannot reach the Flagline API (${String(error)}).`, true);
  }
  if (response.status >= 400) {
    const error = ErrorBody.safeParse(response.body);
    return { status: response.status, data: null, error: error.success ? error.data.error.code : undefined };
  }
  try {
    return { status: response.status, data: parse(response.body) };
  } catch {
    throw new SyncError('bad_response', `Unexpected answer from ${path}; is the endpoint a Flagline API?`);
  }
}

function failHttp(path: string, status: number, code?: string): never {
  throw new SyncError('http', `${path} answered ${status}${code ? ` (${code})` : ''}.`, status >= 500 || status === 429);
}

export const fetchPublicKeys = async (getJson: GetJson): Promise<PublicKeys> => {
  const res = await get(getJson, '/.well-known/flagline-keys.json', (b) => PublicKeys.parse(b));
  return res.data ?? failHttp('/.well-known/flagline-keys.json', res.status, res.error);
};

/** The operator's key rotation statements; none when the API has none to serve (404 from an older API). */
export const fetchKeyRotations = async (getJson: GetJson): Promise<KeyRotation[]> => {
  const res = await get(getJson, '/.well-known/flagline-key-rotations.json', (b) => KeyRotations.parse(b));
  if (res.status === 404) return [];
  return (res.data ?? failHttp('/.well-known/flagline-key-rotations.json', res.status, res.error)).rotations;
};

/**
 * The keys a client verifies with, by the one pinning rule of the CLI and the extension: with no pin yet, the one
 * key the API serves (pinned now: the caller keeps `pin` and shows it); with a pin, that key or the key a signed
 * chain of rotations leads to from it (`rotated` lists the fingerprints left behind). Anything else is refused.
 */
export async function trustedKeys(getJson: GetJson, pin: string | null): Promise<{ keys: PublicKeys; pin: string; rotated: string[]; pinnedNow: boolean }> {
  const served = await fetchPublicKeys(getJson);
  if (pin) return { ...(await trustServedKeys(served, pin, () => fetchKeyRotations(getJson))), pinnedNow: false };
  if (served.keys.length !== 1) {
    throw new SyncError('key_not_pinned', `The API serves ${served.keys.length} signing keys: name the one to trust by its fingerprint.`);
  }
  return { keys: served, pin: keyFingerprint(served.keys[0]!.x), rotated: [], pinnedNow: true };
}

/** A verified snapshot: its signature over (version, checksum) holds, and its entries add up to the checksum. */
export async function fetchSnapshot(getJson: GetJson, keys: PublicKeys): Promise<LocalList> {
  const res = await get(getJson, '/v1/list?format=json', (b) => ListResponse.parse(b));
  if (!res.data) failHttp('/v1/list', res.status, res.error);
  const snapshot = res.data;
  if (!(await verifyStatement(keys, snapshot.signature, listStatement(snapshot.version, snapshot.checksum)))) {
    throw new SyncError('bad_signature', `The list at version ${snapshot.version} is not signed by a published Flagline key.`);
  }
  const list = await LocalList.fromSnapshot(snapshot);
  if (list.checksum() !== snapshot.checksum) throw new SyncError('checksum_mismatch', 'The list does not add up to its signed checksum.');
  list.signature = snapshot.signature;
  return list;
}

/** A client's copy of the list that delta pages can be applied to: the full LocalList or the PrefixCopy. */
export interface ListCopy {
  version: number;
  /** Applies a page after checking the server signed it; false when the copy then disagrees with the page's checksum. */
  applyPage(page: ChangesResponse, keys: PublicKeys): Promise<boolean>;
}

/**
 * The one sync loop of the extension and the CLI: verified delta pages in order, each page's signature
 * checked before it is applied and the copy's checksum after; a fresh snapshot when the server says
 * resync (410 resync_required), when a page does not add up, or when `refresh` says the copy has grown
 * stale. `save` runs after every page, so a crash resumes from the last applied page.
 */
export async function syncCopy<C extends ListCopy>(options: {
  getJson: GetJson;
  keys: PublicKeys;
  copy: C | null;
  snapshot: () => Promise<C>;
  save: (copy: C) => Promise<void>;
  refresh?: (copy: C) => boolean;
  onProgress?: (progress: SyncProgress) => void;
  pageSize?: number;
}): Promise<{ copy: C; pollAfterSeconds: number; progress: SyncProgress; signature: Signature }> {
  const { getJson, keys, save, onProgress, refresh, pageSize = 1000 } = options;
  const progress: SyncProgress = { pages: 0, changes: 0, version: options.copy?.version ?? 0, resynced: false };
  let copy = options.copy;
  const resync = async () => {
    copy = await options.snapshot();
    progress.resynced = true;
    progress.version = copy.version;
    await save(copy);
  };
  if (!copy) await resync();

  for (let mismatches = 0; ; ) {
    const path = `/v1/changes?since=${copy!.version}&limit=${pageSize}`;
    const res = await get(getJson, path, (b) => ChangesResponse.parse(b));
    if (!res.data) {
      if (res.error === 'resync_required') {
        await resync();
        continue;
      }
      failHttp(path, res.status, res.error);
    }
    const page = res.data;
    if (!(await copy!.applyPage(page, keys))) {
      if (++mismatches > 1) throw new SyncError('checksum_mismatch', 'The local copy keeps disagreeing with the server after a resync.');
      await resync();
      continue;
    }
    if (refresh?.(copy!)) await resync();
    progress.pages++;
    progress.changes += page.changes.length;
    progress.version = copy!.version;
    await save(copy!);
    onProgress?.(progress);
    if (!page.more) return { copy: copy!, pollAfterSeconds: page.pollAfterSeconds, progress, signature: page.signature };
  }
}

/** syncCopy for the full list (partners, the CLI): snapshots from /v1/list. */
export async function syncLocalList(options: {
  getJson: GetJson;
  keys: PublicKeys;
  list: LocalList | null;
  save: (list: LocalList) => Promise<void>;
  onProgress?: (progress: SyncProgress) => void;
  pageSize?: number;
}): Promise<{ list: LocalList; pollAfterSeconds: number; progress: SyncProgress; signature: Signature }> {
  const { copy, ...rest } = await syncCopy({ ...options, copy: options.list, snapshot: () => fetchSnapshot(options.getJson, options.keys) });
  return { list: copy, ...rest };
}
