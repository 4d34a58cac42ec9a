import { ChangesResponse, ListResponse } from '../api/list';
import { ErrorBody } from '../api/errors';
import { LocalList } from '../local-list';
import { changesStatement, listStatement, PublicKeys, verifyStatement } from '../signed-statements';

type Signature = ChangesResponse['signature'];

/** A GET against the Flagline API, answering the status and parsed JSON (the transport is the caller's). */
export type GetJson = (path: string) => Promise<{ status: number; body: unknown }>;

export class SyncError extends Error {
  constructor(
    readonly code: 'network' | 'http' | 'bad_signature' | 'checksum_mismatch' | 'bad_response',
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}

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
  return list;
}

/**
 * Brings a local copy up to date: verified delta pages in order, each page's signature checked before it
 * is applied and the copy's checksum after; a resync from the snapshot when the server asks or a page
 * does not add up. `save` runs after every page, so a crash resumes from the last applied page.
 */
export async function syncLocalList(options: {
  getJson: GetJson;
  keys: PublicKeys;
  list: LocalList | null;
  save: (list: LocalList) => Promise<void>;
  onProgress?: (progress: SyncProgress) => void;
  pageSize?: number;
}): Promise<{ list: LocalList; pollAfterSeconds: number; progress: SyncProgress; signature: Signature }> {
  const { getJson, keys, save, onProgress, pageSize = 1000 } = options;
  const progress: SyncProgress = { pages: 0, changes: 0, version: options.list?.version ?? 0, resynced: false };
  let list = options.list;
  const resync = async () => {
    list = await fetchSnapshot(getJson, keys);
    progress.resynced = true;
    progress.version = list.version;
    await save(list);
  };
  if (!list) await resync();

  for (let mismatches = 0; ; ) {
    const path = `/v1/changes?since=${list!.version}&limit=${pageSize}`;
    const res = await get(getJson, path, (b) => ChangesResponse.parse(b));
    if (!res.data) {
      if (res.error === 'resync_required') {
        await resync();
        continue;
      }
      failHttp(path, res.status, res.error);
    }
    const page = res.data;
    const since = list!.version;
    if (
      !(await verifyStatement(keys, page.signature, listStatement(page.next, page.checksum))) ||
      !(await verifyStatement(keys, page.changesSignature, changesStatement(since, page.next, page.changes)))
    ) {
      throw new SyncError('bad_signature', `The change page after version ${list!.version} is not signed by a published Flagline key.`);
    }
    if (!(await list!.applyPage(page))) {
      if (++mismatches > 1) throw new SyncError('checksum_mismatch', 'The local copy keeps disagreeing with the server after a resync.');
      await resync();
      continue;
    }
    progress.pages++;
    progress.changes += page.changes.length;
    progress.version = list!.version;
    await save(list!);
    onProgress?.(progress);
    if (!page.more) return { list: list!, pollAfterSeconds: page.pollAfterSeconds, progress, signature: page.signature };
  }
}
