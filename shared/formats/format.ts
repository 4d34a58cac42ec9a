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

/** What a format remembers across the rows of one file: STIX relates each service's indicators to its first one. */
export interface FileState {
  services: Map<string, string>;
}

/** One output format: its media type, the kinds it can hold, and how to write its head, rows and tail. */
export interface Format {
  contentType: string;
  extension: string;
  kinds?: IndicatorKind[];
  head(meta: SnapshotMeta): string;
  row(entry: SnapshotEntry, index: number, file: FileState): string | Promise<string>;
  tail(meta: SnapshotMeta, file: FileState): string;
  /**
   * How a signed file ends instead of `tail`: `lead` (signed, like everything before it), then `line`, which
   * holds the signature text where the format's readers skip it and closes the file (./file-signature.ts).
   */
  signature: { lead: string; line(text: string, meta: SnapshotMeta): string };
}

/**
 * Writes one file of a format: its head, then each row in (kind, value) order, then its tail (a file written
 * unsigned, as `flagline sync` writes from its verified copy) or its signed ending (as the API serves it).
 */
export function formatWriter(format: Format, meta: SnapshotMeta) {
  const file: FileState = { services: new Map() };
  let index = 0;
  return {
    head: () => format.head(meta),
    row: (entry: SnapshotEntry) => format.row(entry, index++, file),
    tail: () => format.tail(meta, file),
    signedLead: () => format.signature.lead,
    signatureLine: (text: string) => format.signature.line(text, meta),
  };
}
