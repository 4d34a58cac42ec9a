import type { Change, ChangesResponse, ListEntry, ListResponse } from './index';
import { listChecksum } from './checksum';

/**
 * A client's copy of the list (extension, partner sync): load a snapshot, apply delta pages in order,
 * and check after each page that the copy matches the server's checksum.
 */
export class LocalList {
  readonly entries = new Map<string, ListEntry>();
  version = 0;

  static fromSnapshot(snapshot: ListResponse): LocalList {
    const list = new LocalList();
    for (const entry of snapshot.entries) list.entries.set(`${entry.kind}:${entry.value}`, entry);
    list.version = snapshot.version;
    return list;
  }

  apply(change: Change): void {
    const key = `${change.kind}:${change.value}`;
    if (change.op === 'remove') this.entries.delete(key);
    else this.entries.set(key, { kind: change.kind, value: change.value, status: change.status!, reasons: change.reasons, orgCount: change.orgCount });
    this.version = change.version;
  }

  /** Applies a page and resolves to whether the copy now matches the server's checksum. */
  async applyPage(page: ChangesResponse): Promise<boolean> {
    for (const change of page.changes) this.apply(change);
    this.version = Math.max(this.version, page.next);
    return (await this.checksum()) === page.checksum;
  }

  checksum(): Promise<string> {
    return listChecksum(this.entries.values());
  }
}
