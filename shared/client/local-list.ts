import type { Change, ChangesResponse, ListEntry, ListResponse } from '../api/list';
import { entryDigest, formatChecksum } from '../checksum';
import { expressionOf } from '../indicator/kinds';
import type { PublicKeys } from '../signed-statements';
import { verifyPage } from './verify-page';

/**
 * A client's copy of the list (extension, partner sync): load a snapshot, apply delta pages in order,
 * and check after each page that the copy matches the server's checksum. The checksum is kept
 * incrementally, so a page costs what its changes cost, not what the whole list costs.
 */
export class LocalList {
  readonly entries = new Map<string, ListEntry>();
  version = 0;
  /** The server's signature over (version, checksum) of the last verified snapshot or page, kept with a saved copy. */
  signature: ChangesResponse['signature'] | null = null;
  private sum = 0n;

  static async fromSnapshot(snapshot: Pick<ListResponse, 'version' | 'entries'>): Promise<LocalList> {
    const list = new LocalList();
    for (const entry of snapshot.entries) list.put(expressionOf(entry), entry);
    list.version = snapshot.version;
    return list;
  }

  /** Replaces (or with null removes) the entry under `key`, keeping the checksum in step. */
  private put(key: string, entry: ListEntry | null): void {
    const old = this.entries.get(key);
    if (old) this.sum -= entryDigest(old);
    if (entry) {
      this.entries.set(key, entry);
      this.sum += entryDigest(entry);
    } else {
      this.entries.delete(key);
    }
  }

  apply(change: Change): void {
    const key = expressionOf(change);
    const entry =
      change.op === 'remove' ? null : { kind: change.kind, value: change.value, status: change.status!, reasons: change.reasons, orgCount: change.orgCount };
    this.put(key, entry);
    this.version = change.version;
  }

  /**
   * Applies a page and resolves to whether the copy now matches the server's checksum. With the published
   * keys, the page's signatures are checked first (a forged page throws before anything is applied).
   */
  async applyPage(page: ChangesResponse, keys?: PublicKeys): Promise<boolean> {
    if (keys) await verifyPage(keys, this.version, page);
    for (const change of page.changes) this.apply(change);
    this.version = Math.max(this.version, page.next);
    if (keys) this.signature = page.signature;
    return this.checksum() === page.checksum;
  }

  checksum(): string {
    return formatChecksum(this.sum);
  }
}
