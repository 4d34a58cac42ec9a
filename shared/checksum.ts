/*
 * The list checksum is a set hash: the sum, modulo 2^256, of SHA-256(`kind:value:status`) over every entry.
 * Order does not matter and one change updates it in O(1) (add the new entry's digest, subtract the old),
 * so the server keeps it per version and a client applying a delta can verify it without re-reading
 * the whole list. Reasons and counts are informational and not part of it.
 */
const MOD = 1n << 256n;
export const EMPTY_CHECKSUM = '0'.repeat(64);

export async function entryDigest(entry: { kind: string; value: string; status: string }): Promise<bigint> {
  const bytes = new TextEncoder().encode(`${entry.kind}:${entry.value}:${entry.status}`);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return BigInt(`0x${Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('')}`);
}

export const parseChecksum = (hex: string): bigint => BigInt(`0x${hex}`);
export const formatChecksum = (sum: bigint): string => (((sum % MOD) + MOD) % MOD).toString(16).padStart(64, '0');

/** Checksum after replacing `before` (absent if new) with `after` (absent if removed). */
export async function updateChecksum(
  checksum: string,
  before: { kind: string; value: string; status: string } | null,
  after: { kind: string; value: string; status: string } | null,
): Promise<string> {
  let sum = parseChecksum(checksum);
  if (before) sum -= await entryDigest(before);
  if (after) sum += await entryDigest(after);
  return formatChecksum(sum);
}

export async function listChecksum(entries: Iterable<{ kind: string; value: string; status: string }>): Promise<string> {
  let sum = 0n;
  for (const entry of entries) sum += await entryDigest(entry);
  return formatChecksum(sum);
}
