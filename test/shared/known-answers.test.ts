import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { base64, base64urlnopad, hex } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  bodyStatement,
  changesStatement,
  expressionHash,
  expressionOf,
  fileSignatureText,
  fileStatement,
  FORMAT_NAMES,
  FORMATS,
  formatWriter,
  listStatement,
  prefixOf,
  prefixSetChecksum,
  prefixSetStatement,
  riceEncode,
  stixIndicatorId,
  updateChecksum,
  verifyFile,
  verifyStatement,
  type Change,
  type PublicKeys,
  type SnapshotEntry,
  type SnapshotMeta,
} from '../../shared';

/*
 * Known answers for every wire format partners code against. The expected values live in committed files
 * (test/fixtures/known-answers/), so a change to the code that would change what deployed partners read or
 * verify fails here: the checksum, each signed statement and its signature under a fixed test key, STIX ids,
 * the Rice coding of a fixed set, and the bytes of each list format. Deliberate format changes update the
 * files (vitest -u) and say so in the commit.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'known-answers');
const testKey = JSON.parse(readFileSync(join(FIXTURES, 'test-signing-key.json'), 'utf8')).jwk as { kty: 'OKP'; crv: 'Ed25519'; x: string; d: string };
const privateKey = createPrivateKey({ key: testKey, format: 'jwk' });
const keyId = hex.encode(sha256(new TextEncoder().encode(testKey.x))).slice(0, 16);
const publicKeys: PublicKeys = { keys: [{ kid: keyId, kty: 'OKP', crv: 'Ed25519', x: testKey.x, alg: 'EdDSA', use: 'sig' }] };
const signed = (statement: string) => ({ statement, keyId, value: base64urlnopad.encode(new Uint8Array(sign(null, Buffer.from(statement), privateKey))) });

const ENTRIES: SnapshotEntry[] = [
  {
    kind: 'domain',
    value: 'known-answer-demo.net',
    status: 'listed',
    reasons: ['nudify_site'],
    orgCount: 3,
    service: 'svc_0123456789abcdef0123456789abcdef',
    createdAt: '2026-01-02T03:04:05.006Z',
    updatedAt: '2026-02-03T04:05:06.007Z',
  },
  {
    kind: 'host',
    value: 'cdn.known-answer-demo.net',
    status: 'disputed',
    reasons: ['nudify_app', 'payment_front'],
    orgCount: 2,
    createdAt: '2026-03-04T05:06:07.008Z',
    updatedAt: '2026-03-04T05:06:07.008Z',
  },
  {
    kind: 'merchant',
    value: 'stripe:acct_1KnownAnswer00001',
    status: 'listed',
    reasons: ['payment_front'],
    orgCount: 2,
    service: 'svc_0123456789abcdef0123456789abcdef',
    createdAt: '2026-04-05T06:07:08.009Z',
    updatedAt: '2026-05-06T07:08:09.010Z',
  },
  {
    kind: 'wallet',
    value: 'btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    status: 'listed',
    reasons: ['payment_front'],
    orgCount: 4,
    createdAt: '2026-06-07T08:09:10.011Z',
    updatedAt: '2026-06-07T08:09:10.011Z',
  },
];
const CHANGES: Change[] = [
  { version: 6, op: 'upsert', kind: 'domain', value: 'known-answer-demo.net', status: 'listed', reasons: ['nudify_site'], orgCount: 3 },
  { version: 7, op: 'remove', kind: 'url', value: 'https://known-answer-demo.net/pay', status: null, reasons: [], orgCount: 0 },
];
const VERSION = 7;
const checksum = ENTRIES.reduce((sum, entry) => updateChecksum(sum, null, entry), '0'.repeat(64));
const META: SnapshotMeta = {
  version: VERSION,
  checksum,
  signature: { keyId, alg: 'Ed25519', value: signed(listStatement(VERSION, checksum)).value },
  generatedAt: '2026-11-28T00:00:00.000Z',
};

/** A file as `flagline sync` writes it from its verified copy: no signature line. */
async function unsignedBody(format: (typeof FORMAT_NAMES)[number]): Promise<string> {
  const spec = FORMATS[format];
  const file = formatWriter(spec, META);
  let text = file.head();
  for (const entry of ENTRIES.filter((e) => !spec.kinds || spec.kinds.includes(e.kind))) text += await file.row(entry);
  return text + file.tail();
}

/** A file as the API serves it: the same rows, then the signature line over every byte before it. */
async function body(format: (typeof FORMAT_NAMES)[number]): Promise<string> {
  const spec = FORMATS[format];
  const file = formatWriter(spec, META);
  let text = file.head();
  for (const entry of ENTRIES.filter((e) => !spec.kinds || spec.kinds.includes(e.kind))) text += await file.row(entry);
  text += file.signedLead();
  const signature = signed(fileStatement(format, VERSION, hex.encode(sha256(new TextEncoder().encode(text)))));
  return text + file.signatureLine(fileSignatureText(format, VERSION, signature));
}
const bytes = (text: string) => new TextEncoder().encode(text);

describe('known answers for the wire formats', () => {
  it('should sign what the files say, and verify with the published form of the key', async () => {
    const prefixes = Uint32Array.from(new Set(ENTRIES.map((e) => prefixOf(expressionHash(expressionOf(e)))))).sort();
    const rice = riceEncode(prefixes);
    const csv = await body('csv');
    const answers = {
      checksum,
      statements: {
        list: signed(listStatement(VERSION, checksum)),
        changes: signed(changesStatement(5, VERSION, CHANGES)),
        body: signed(bodyStatement('csv', VERSION, hex.encode(sha256(new TextEncoder().encode(csv))))),
        file: signed(fileStatement('txt', VERSION, hex.encode(sha256(new TextEncoder().encode('# the bytes before a signature line\n'))))),
        prefixSet: signed(prefixSetStatement(VERSION, prefixSetChecksum(prefixes))),
      },
      stixIds: Object.fromEntries(ENTRIES.map((e) => [expressionOf(e), stixIndicatorId(e.kind, e.value)])),
      riceSet: {
        prefixes: Array.from(prefixes, (p) => p.toString(16).padStart(8, '0')),
        firstValue: rice.firstValue,
        riceParameter: rice.riceParameter,
        entriesCount: rice.entriesCount,
        encodedData: base64.encode(rice.encodedData),
        checksum: prefixSetChecksum(prefixes),
      },
    };
    await expect(`${JSON.stringify(answers, null, 2)}\n`).toMatchFileSnapshot(join(FIXTURES, 'wire-formats.json'));
    // The signatures verify as a partner verifies them: with the public key as the JWKS publishes it.
    for (const s of Object.values(answers.statements)) expect(await verifyStatement(publicKeys, s, s.statement)).toBe(true);
    expect(createPublicKey(privateKey).export({ format: 'jwk' }).x).toBe(testKey.x);
  });

  it.each(FORMAT_NAMES)('should write %s byte for byte as the file says', async (format) => {
    await expect(await body(format)).toMatchFileSnapshot(join(FIXTURES, `list.${FORMATS[format].extension}`));
  });
});

describe('every file verifiable with the file alone', () => {
  it.each(FORMAT_NAMES)('should verify a %s file by its last signature line, and refuse it changed anywhere', async (format) => {
    const file = await body(format);
    expect(await verifyFile(bytes(file), publicKeys)).toMatchObject({ ok: true, format, version: VERSION, keyId });
    // One byte changed in the first entry.
    const entry = file.indexOf('known-answer-demo.net');
    const edited = `${file.slice(0, entry)}X${file.slice(entry + 1)}`;
    expect(await verifyFile(bytes(edited), publicKeys)).toMatchObject({ ok: false, reason: 'bad_signature' });
    // An entry added after the signature line is not signed.
    expect(await verifyFile(bytes(`${file}evil-added-demo.net\n`), publicKeys)).toMatchObject({ ok: false, reason: 'trailing_data' });
    // Signed by a key the partner does not trust.
    expect(await verifyFile(bytes(file), { keys: [] })).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it.each(FORMAT_NAMES)('should write %s from a verified copy with the same rows and no signature line', async (format) => {
    const unsigned = await unsignedBody(format);
    expect(await verifyFile(bytes(unsigned), publicKeys)).toMatchObject({ ok: false, reason: 'unsigned' });
    // The signed file is the unsigned one with the signature in place of (or before) the closing.
    const signedFile = await body(format);
    const closing = FORMATS[format].tail(META, { services: new Map() });
    expect(signedFile.startsWith(unsigned.slice(0, unsigned.length - closing.length))).toBe(true);
  });
});
