import { sha256 } from '@noble/hashes/sha2.js';

/*
 * The list checksum is a set hash: the sum, modulo 2^256, of SHA-256(`kind:value:status`) over every entry.
 * Order does not matter and one change updates it in O(1) (add the new entry's digest, subtract the old),
 * so the server keeps it per version and a client applying a delta can verify it without re-reading
 * the whole list. Reasons and counts are informational and not part of it. Hashing is synchronous
 * (noble): a million entries cost a second, not a million round trips through WebCrypto.
 */
const MOD = 1n << 256n;
export const EMPTY_CHECKSUM = '0'.repeat(64);

const toBigInt = (bytes: Uint8Array): bigint => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (view.getBigUint64(0) << 192n) | (view.getBigUint64(8) << 128n) | (view.getBigUint64(16) << 64n) | view.getBigUint64(24);
};

export function entryDigest(entry: { kind: string; value: string; status: string }): bigint {
  return toBigInt(sha256(new TextEncoder().encode(`${entry.kind}:${entry.value}:${entry.status}`)));
}

export const parseChecksum = (hex: string): bigint => BigInt(`0x${hex}`);
export const formatChecksum = (sum: bigint): string => (((sum % MOD) + MOD) % MOD).toString(16).padStart(64, '0');

/** Checksum after replacing `before` (absent if new) with `after` (absent if removed). */
export function updateChecksum(
  checksum: string,
  before: { kind: string; value: string; status: string } | null,
  after: { kind: string; value: string; status: string } | null,
): string {
  let sum = parseChecksum(checksum);
  if (before) sum -= entryDigest(before);
  if (after) sum += entryDigest(after);
  return formatChecksum(sum);
}

/** The checksum of a whole set of entries (what a reviewer saw of a service's members, say). */
export const checksumOf = (entries: readonly { kind: string; value: string; status: string }[]): string =>
  formatChecksum(entries.reduce((sum, entry) => sum + entryDigest(entry), 0n));
