import type { ChangesResponse } from '../api/list';
import { changesStatement, listStatement, verifyStatement, type PublicKeys } from '../signed-statements';
import { SyncError } from './sync-error';

/** Checks that the server signed exactly this page of changes after `since`, and the list it leads to. */
export async function verifyPage(keys: PublicKeys, since: number, page: ChangesResponse): Promise<void> {
  const signed =
    (await verifyStatement(keys, page.signature, listStatement(page.next, page.checksum))) &&
    (await verifyStatement(keys, page.changesSignature, changesStatement(since, page.next, page.changes)));
  if (!signed) throw new SyncError('bad_signature', `The change page after version ${since} is not signed by a published Flagline key.`);
}
