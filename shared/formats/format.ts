import type { ListEntry } from '../api/list';
import type { IndicatorKind } from '../indicator/kinds';

/** A list entry with, where known, when it was first and last changed (STIX wants both). */
export interface SnapshotEntry extends ListEntry {
  createdAt?: string;
  updatedAt?: string;
}

export interface SnapshotMeta {
  version: number;
  checksum: string;
  signature: { keyId: string; alg: 'Ed25519'; value: string };
  generatedAt: string;
}

/** One output format: its media type, the kinds it can hold, and how to write its head, rows and tail. */
export interface Format {
  contentType: string;
  extension: string;
  kinds?: IndicatorKind[];
  head(meta: SnapshotMeta): string;
  row(entry: SnapshotEntry, index: number): string | Promise<string>;
  tail(meta: SnapshotMeta): string;
}
