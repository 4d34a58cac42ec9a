import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hex } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { riceDecode, riceEncode } from '../../shared';

/*
 * Known answers from Google's Safe Browsing client (google/safebrowsing hash_test.go, Apache-2.0) and
 * Chromium (components/safe_browsing/core/browser/db/v4_rice_unittest.cc, BSD-3-Clause), copied with their
 * sources into test/fixtures/safe-browsing-rice-vectors.json. Flagline's prefix set must decode exactly what
 * a Safe Browsing decoder decodes: same bit order, same count (the deltas only), same values.
 */
interface Vectors {
  riceDecoder: { k: number; encodedDataHex: string; deltas: number[] }[];
  chromiumExtra: (
    | { k: number; encodedDataHex: string; deltas: number[] }
    | { k: number; firstValue: number; numEntries: number; encodedDataHex: string; values: number[] }
  )[];
  decodeHashes: {
    inputs: { compressionType: string; firstValue?: number; riceParameter?: number; numEntries?: number; encodedDataHex?: string }[];
    expectedSortedPrefixesHex: string[];
  }[];
  decodeIndices: { inputs: { firstValue: number; riceParameter: number; numEntries: number; encodedDataHex: string }[]; expectedValues: number[] }[];
}
const vectors = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'safe-browsing-rice-vectors.json'), 'utf8')) as Vectors;

/** The gaps a decoder reads, from a first value of 0 (sums wrap at 2^32; their differences do not). */
const gapsOf = (values: Uint32Array) => Array.from(values.subarray(1), (v, i) => (v - values[i]!) >>> 0);

describe('the Rice coding against Safe Browsing known answers', () => {
  const gapVectors = [...vectors.riceDecoder, ...vectors.chromiumExtra.filter((v) => 'deltas' in v)] as Vectors['riceDecoder'];
  const valueVectors = vectors.chromiumExtra.filter((v) => 'values' in v) as {
    k: number;
    firstValue: number;
    numEntries: number;
    encodedDataHex: string;
    values: number[];
  }[];

  it.each(gapVectors.map((v) => [v.k, v.deltas.length, v] as const))('should decode the published gaps (k=%i, %i gaps)', (_k, _n, v) => {
    const values = riceDecode({ firstValue: 0, riceParameter: v.k, entriesCount: v.deltas.length, encodedData: hex.decode(v.encodedDataHex) });
    expect(gapsOf(values)).toEqual(v.deltas);
  });

  it.each(valueVectors.map((v) => [v.firstValue, v.numEntries, v] as const))(
    "should decode Chromium's integer vector (first %i, %i gaps) to its values",
    (_f, _n, v) => {
      const values = riceDecode({ firstValue: v.firstValue, riceParameter: v.k, entriesCount: v.numEntries, encodedData: hex.decode(v.encodedDataHex) });
      expect(Array.from(values)).toEqual(v.values);
    },
  );

  it.each(vectors.decodeIndices.map((v, i) => [i, v] as const))(
    'should decode index vector %i to its values, and encode them back to the same bytes',
    (_i, v) => {
      const input = v.inputs[0]!;
      const values = riceDecode({
        firstValue: input.firstValue,
        riceParameter: input.riceParameter,
        entriesCount: input.numEntries,
        encodedData: hex.decode(input.encodedDataHex),
      });
      expect(Array.from(values)).toEqual(v.expectedValues);
      const encoded = riceEncode(values, input.riceParameter);
      expect([encoded.firstValue, encoded.entriesCount]).toEqual([input.firstValue, input.numEntries]);
      // Google's encoder pads the last byte with zero bits, as ours does; trailing zero bytes beyond it are padding too.
      expect(hex.encode(encoded.encodedData)).toBe(input.encodedDataHex.replace(/(00)+$/, '').padEnd(hex.encode(encoded.encodedData).length, '0'));
    },
  );

  it.each(vectors.decodeHashes.map((v, i) => [i, v] as const))('should decode hash-prefix vector %i to its 4-byte prefixes', (_i, v) => {
    // These are Safe Browsing v4 vectors: v4 reads each prefix as a little-endian integer, v5 (and Flagline) big-endian.
    const prefixes = v.inputs
      .filter((input) => input.compressionType === 'RICE')
      .flatMap((input) => {
        const values = riceDecode({
          firstValue: input.firstValue!,
          riceParameter: input.riceParameter!,
          entriesCount: input.numEntries!,
          encodedData: hex.decode(input.encodedDataHex!),
        });
        return Array.from(values, (value) => {
          const bytes = new Uint8Array(4);
          new DataView(bytes.buffer).setUint32(0, value, true);
          return hex.encode(bytes);
        });
      });
    const expected = v.expectedSortedPrefixesHex.filter((p) => p.length === 8);
    expect(prefixes.sort()).toEqual(expected.sort());
  });
});
