import { base64, hex } from '@scure/base';
import { expressionOf } from '../indicator/kinds';
import type { ChangesResponse, ListEntry } from '../api/list';
import type { PrefixSetResponse } from '../api/prefixes';
import { expressionHash, prefixHex, prefixOf, prefixSetChecksum, PrefixSet, riceDecode } from '../prefix-set';
import { prefixSetStatement, verifyStatement, type PublicKeys } from '../signed-statements';
import { SyncError } from './sync-error';
import { verifyPage } from './verify-page';

/** What a check found for one expression: listed locally, a prefix to confirm with the server, or nothing. */
export type LocalVerdict = { entry: ListEntry } | { prefix: string } | null;

export interface StoredPrefixCopy {
  set: PrefixSetResponse;
  version: number;
  added: [string, ListEntry][];
  removed: string[];
}

/**
 * A privacy-preserving copy of the list: the server's signed prefix set at one version, plus the signed
 * changes after it kept as exact expressions. A change wins over the set (a removed entry is not listed
 * even if its prefix is still there); a bare prefix hit is confirmed with the full hashes for that prefix.
 */
export class PrefixCopy {
  private constructor(
    readonly set: PrefixSetResponse,
    private readonly prefixes: PrefixSet,
    public version: number,
    readonly added: Map<string, ListEntry>,
    readonly removed: Set<string>,
  ) {}

  /** Verifies the set's signature and checksum before trusting it. */
  static async fromSet(set: PrefixSetResponse, keys: PublicKeys): Promise<PrefixCopy> {
    if (!(await verifyStatement(keys, set.signature, prefixSetStatement(set.version, set.checksum)))) {
      throw new SyncError('bad_signature', `The prefix set at version ${set.version} is not signed by a published Flagline key.`);
    }
    const decoded = riceDecode({ ...set, encodedData: base64.decode(set.encodedData) });
    if (prefixSetChecksum(decoded) !== set.checksum) throw new SyncError('checksum_mismatch', 'The prefix set does not match its checksum.');
    return new PrefixCopy(set, new PrefixSet(decoded), set.version, new Map(), new Set());
  }

  static restore(stored: StoredPrefixCopy): PrefixCopy {
    const decoded = riceDecode({ ...stored.set, encodedData: base64.decode(stored.set.encodedData) });
    return new PrefixCopy(stored.set, new PrefixSet(decoded), stored.version, new Map(stored.added), new Set(stored.removed));
  }

  toStored(): StoredPrefixCopy {
    return { set: this.set, version: this.version, added: [...this.added], removed: [...this.removed] };
  }

  /**
   * Applies one delta page after checking that the server signed exactly these changes. A prefix copy cannot
   * recompute the list's checksum, so it trusts the signature and answers true.
   */
  async applyPage(page: ChangesResponse, keys: PublicKeys): Promise<boolean> {
    await verifyPage(keys, this.version, page);
    for (const change of page.changes) {
      const expression = expressionOf(change);
      if (change.op === 'remove') {
        this.added.delete(expression);
        this.removed.add(expression);
      } else {
        this.removed.delete(expression);
        this.added.set(expression, { kind: change.kind, value: change.value, status: change.status!, reasons: change.reasons, orgCount: change.orgCount });
      }
    }
    this.version = page.next;
    return true;
  }

  /** How many exact changes ride on top of the set; past a few thousand, fetching a fresh set is cheaper. */
  get overlaySize(): number {
    return this.added.size + this.removed.size;
  }

  check(expression: string): LocalVerdict {
    if (this.removed.has(expression)) return null;
    const entry = this.added.get(expression);
    if (entry) return { entry };
    const prefix = prefixOf(expressionHash(expression));
    return this.prefixes.has(prefix) ? { prefix: prefixHex(prefix) } : null;
  }

  /** The full hash a confirmed match must carry. */
  static fullHash(expression: string): string {
    return hex.encode(expressionHash(expression));
  }
}
