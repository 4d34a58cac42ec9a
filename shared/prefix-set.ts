import { hex } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';

/*
 * Privacy-preserving local checks, as Safe Browsing does them: clients hold 4-byte SHA-256 prefixes of
 * every listed expression ("kind:value"), Rice-Golomb coded; a local hit is confirmed by asking the server
 * for the full hashes behind that prefix, so the server never learns which page was visited.
 */

/** SHA-256 of an expression ("kind:value"); synchronous, since a check hashes a few per page. */
export const expressionHash = (expression: string): Uint8Array => sha256(new TextEncoder().encode(expression));

/** A 4-byte prefix as it travels in JSON: 8 lower-case hex digits. */
export const prefixHex = (prefix: number): string => prefix.toString(16).padStart(8, '0');

/** The first four bytes of a hash as an unsigned 32-bit integer (big-endian). */
export const prefixOf = (hash: Uint8Array): number => ((hash[0]! << 24) | (hash[1]! << 16) | (hash[2]! << 8) | hash[3]!) >>> 0;

/**
 * A Safe Browsing v5 RiceDeltaEncoded32Bit: the first value raw, then `entriesCount` gaps (the deltas only,
 * as v4 and v5 both count them). `entryCount` is Flagline's own total of values (0 for an empty set, which
 * v5 cannot tell apart from a set holding only `firstValue`).
 */
export interface RiceEncoded {
  firstValue: number;
  riceParameter: number;
  entriesCount: number;
  entryCount: number;
  encodedData: Uint8Array;
}

/** Rice parameter near the optimum for the mean gap: k = log2(mean * ln 2). */
export function riceParameterFor(count: number): number {
  if (count < 2) return 0;
  return Math.max(0, Math.min(28, Math.floor(Math.log2((2 ** 32 / count) * Math.LN2))));
}

/**
 * Encodes sorted, distinct 32-bit values as Safe Browsing's RiceDeltaEncoded32Bit (v5, which reads the
 * 4-byte prefixes big-endian, as prefixOf does): the first value raw, then each gap as its quotient in
 * unary (ones, then a zero) and its remainder in k bits, bits filled least-significant first.
 */
export function riceEncode(sorted: Uint32Array, riceParameter = riceParameterFor(sorted.length)): RiceEncoded {
  if (sorted.length === 0) return { firstValue: 0, riceParameter, entriesCount: 0, entryCount: 0, encodedData: new Uint8Array(0) };
  const k = riceParameter;
  let bytes = new Uint8Array(Math.max(16, Math.ceil((sorted.length * (k + 4)) / 8)));
  let bit = 0;
  const writeBit = (one: boolean) => {
    if (bit >> 3 >= bytes.length) {
      const bigger = new Uint8Array(bytes.length * 2);
      bigger.set(bytes);
      bytes = bigger;
    }
    if (one) bytes[bit >> 3]! |= 1 << (bit & 7);
    bit++;
  };
  for (let i = 1; i < sorted.length; i++) {
    const delta = sorted[i]! - sorted[i - 1]!;
    if (delta <= 0) throw new RangeError('riceEncode needs sorted, distinct values');
    for (let q = Math.floor(delta / 2 ** k); q > 0; q--) writeBit(true);
    writeBit(false);
    for (let b = 0; b < k; b++) writeBit(((delta >>> b) & 1) === 1);
  }
  return {
    firstValue: sorted[0]!,
    riceParameter: k,
    entriesCount: sorted.length - 1,
    entryCount: sorted.length,
    encodedData: bytes.slice(0, Math.ceil(bit / 8)),
  };
}

/**
 * Decodes a RiceDeltaEncoded32Bit: `firstValue` and the `entriesCount` values its gaps lead to. A set
 * Flagline says is empty (`entryCount` 0) decodes to nothing.
 */
export function riceDecode({
  firstValue,
  riceParameter: k,
  entriesCount,
  entryCount,
  encodedData,
}: Pick<RiceEncoded, 'firstValue' | 'riceParameter' | 'encodedData'> & { entriesCount?: number; entryCount?: number }): Uint32Array {
  if (entryCount === 0) return new Uint32Array(0);
  // Copies stored before entriesCount existed carry only the total.
  const out = new Uint32Array((entriesCount ?? Math.max(0, (entryCount ?? 1) - 1)) + 1);
  out[0] = firstValue;
  let bit = 0;
  const readBit = () => {
    if (bit >> 3 >= encodedData.length) throw new RangeError('Rice data ends early');
    const value = (encodedData[bit >> 3]! >> (bit & 7)) & 1;
    bit++;
    return value;
  };
  for (let i = 1; i < out.length; i++) {
    let q = 0;
    while (readBit() === 1) q++;
    let r = 0;
    for (let b = 0; b < k; b++) r |= readBit() << b;
    out[i] = out[i - 1]! + q * 2 ** k + (r >>> 0);
  }
  return out;
}

/** SHA-256 over the sorted prefixes as 4-byte big-endian values: a client checks its decoded set with it. */
export function prefixSetChecksum(sorted: Uint32Array): string {
  const bytes = new Uint8Array(sorted.length * 4);
  const view = new DataView(bytes.buffer);
  for (const [i, value] of sorted.entries()) view.setUint32(i * 4, value);
  return hex.encode(sha256(bytes));
}

/** A decoded set with O(log n) membership. */
export class PrefixSet {
  constructor(readonly prefixes: Uint32Array) {}

  has(prefix: number): boolean {
    let lo = 0;
    let hi = this.prefixes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = this.prefixes[mid]!;
      if (value === prefix) return true;
      if (value < prefix) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
