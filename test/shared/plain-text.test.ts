import { deflateSync } from 'node:zlib';
import { base32, base64, base64urlnopad, hex } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { encodedDataIn, FlagInput, MAX_OPAQUE_CHARS } from '../../shared';

/*
 * Free text must never carry a file. The image here is synthetic (a gray noise PNG made below, 24×24), spelled in
 * the 24 encodings a person could paste into a note, a statement or a reason; the prose beside it is what
 * analysts, appellants and reviewers really write, ids and hashes included, and must pass.
 */

/** A real PNG of synthetic noise: signature, IHDR, one IDAT, IEND (CRCs computed). */
function syntheticPng(size = 24): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Uint8Array) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 255]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Uint8Array) => {
    const body = new Uint8Array([...new TextEncoder().encode(type), ...data]);
    const out = new DataView(new ArrayBuffer(12 + data.length));
    out.setUint32(0, data.length);
    new Uint8Array(out.buffer).set(body, 4);
    out.setUint32(8 + data.length, crc(body));
    return new Uint8Array(out.buffer);
  };
  const header = new DataView(new ArrayBuffer(13));
  header.setUint32(0, size);
  header.setUint32(4, size);
  header.setUint8(8, 8); // bit depth
  header.setUint8(9, 0); // gray
  // Each row: a filter byte (0), then gray noise from a fixed linear congruential sequence.
  const raw = new Uint8Array(size * (size + 1));
  let seed = 7;
  for (let i = 0; i < raw.length; i++) {
    if (i % (size + 1) === 0) continue;
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    raw[i] = seed >> 16;
  }
  return new Uint8Array([
    ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    ...chunk('IHDR', new Uint8Array(header.buffer)),
    ...chunk('IDAT', deflateSync(raw)),
    ...chunk('IEND', new Uint8Array()),
  ]);
}

const png = syntheticPng();
const bytes = [...png];
const b64 = base64.encode(png);
const hx = hex.encode(png);
const groups = (text: string, n: number, sep: string) => text.match(new RegExp(`.{1,${n}}`, 'g'))!.join(sep);
const ascii85 = (data: Uint8Array) => {
  let out = '<~';
  for (let i = 0; i < data.length; i += 4) {
    const block = [...data.slice(i, i + 4)];
    const pad = 4 - block.length;
    let value = block.concat(Array(pad).fill(0)).reduce((v, b) => v * 256 + b, 0);
    const digits: string[] = [];
    for (let k = 0; k < 5; k++) {
      digits.unshift(String.fromCharCode(33 + (value % 85)));
      value = Math.floor(value / 85);
    }
    out += digits.slice(0, 5 - pad).join('');
  }
  return `${out}~>`;
};
/** The image's brightness as Braille dots, 2×4 pixels a character, a line per 4 rows. */
const braille = () => {
  const lines: string[] = [];
  for (let y = 0; y < 24; y += 4) {
    let line = '';
    for (let x = 0; x < 24; x += 2) line += String.fromCharCode(0x2800 + ((bytes[(y * 24 + x) % bytes.length]! * 7) & 255));
    lines.push(line);
  }
  return lines.join('\n');
};

const ENCODINGS: Record<string, string> = {
  base64: b64,
  'base64 wrapped at 76 (MIME)': groups(b64, 76, '\n'),
  'base64 in groups of four': groups(b64, 4, ' '),
  'base64 with dots every eight': groups(b64, 8, '.'),
  base64url: base64urlnopad.encode(png),
  'a data: URL': `data:image/png;base64,${b64}`,
  hex: hx,
  'hex, upper case, in spaced pairs': groups(hx.toUpperCase(), 2, ' '),
  'hex with colons': groups(hx, 2, ':'),
  '\\x escapes': bytes.map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join(''),
  'percent-encoding': bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
  'quoted-printable': bytes.map((b) => `=${b.toString(16).padStart(2, '0').toUpperCase()}`).join(''),
  '\\u escapes': bytes.map((b) => `\\u00${b.toString(16).padStart(2, '0')}`).join(''),
  'octal escapes': bytes.map((b) => `\\${b.toString(8).padStart(3, '0')}`).join(''),
  'HTML decimal entities': bytes.map((b) => `&#${b};`).join(''),
  'HTML hex entities': bytes.map((b) => `&#x${b.toString(16)};`).join(''),
  'a decimal byte list': bytes.join(', '),
  'a 0x byte list': bytes.map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(', '),
  'binary octets': bytes.map((b) => b.toString(2).padStart(8, '0')).join(' '),
  base32: base32.encode(png),
  'base32, lower case': base32.encode(png).toLowerCase(),
  'base32 in groups of five': groups(base32.encode(png).replace(/=+$/, ''), 5, ' '),
  ascii85: ascii85(png),
  'Braille pixel art': braille(),
};

const PROSE = [
  'Checkout sells "undress" credits; seen 2026-12-04 10:30 UTC, order 77, ticket 4411.',
  'Editor confirmed by Demo Payments ticket 4411',
  'We run a photo editor; nothing on it undresses anyone. Our terms: https://photo-editor-demo.net/terms',
  'Undress AI Free Online Nudify App Best Tool 2024 | Demo',
  'Pays into acct_1NudifyBrandDemo01 and pk_live_51Demo0000Key; service svc_0b7e4c1e6f1d4d439a557f3c1e2d9a10.',
  'ETH 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD, tx 0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b',
  'Merchant descriptor DEMO*PAY 4411-2231 CA; MCC 5815; case 0b7e4c1e-6f1d-4d43-9a55-7f3c1e2d9a10',
  'Der Shop verkauft „Entkleiden“-Guthaben; gesehen am 4.12.2026 um 10:30 Uhr.',
  '该网站出售“脱衣”积分，付款页面使用 Stripe。',
  'legal@photo-editor-demo.net, +1 555 0100',
  'The redirect chain went ads-hop-demo.net → go.undress-demo.net → checkout.undress-demo.net (3 hops).',
];

describe('plain text refuses every encoding of an image', () => {
  it.each(Object.entries(ENCODINGS))('should refuse the image as %s', (_, encoded) => {
    // What fits in a note (2,000 characters) is enough to refuse.
    expect(encodedDataIn(encoded.slice(0, 2000))).not.toBeNull();
  });

  it('should test all 24 encodings of a real PNG', () => {
    expect(Object.keys(ENCODINGS)).toHaveLength(24);
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('should refuse an encoding hidden in prose, and many short codes that add up to a picture', () => {
    expect(encodedDataIn(`Screenshot attached: ${b64.slice(0, 400)} thanks`)).not.toBeNull();
    const codes = Array.from({ length: 40 }, (_, i) => `Ab${i}x${(i * 7919).toString(36)}Q`).join(' ');
    expect(encodedDataIn(codes)).not.toBeNull();
    // Ids one by one are fine; a dozen of them is more than a note needs, and more than a picture may borrow.
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `acct_1Demo${String(i).padStart(2, '0')}Merchant00`).join(' and ');
    expect(encodedDataIn(ids(3))).toBeNull();
    expect(encodedDataIn(ids(12))).toBe(`more than ${MAX_OPAQUE_CHARS} characters of ids, codes or numbers`);
  });
});

describe('plain text takes what people write', () => {
  it.each(PROSE)('should take %s', (text) => expect(encodedDataIn(text)).toBeNull());

  it('should refuse an encoded note in a flag, naming the field', () => {
    const flag = FlagInput.safeParse({ target: 'note-demo.net', reason: 'other', note: `See ${b64.slice(0, 600)}` });
    expect(flag.success).toBe(false);
    expect(flag.error?.issues[0]).toMatchObject({ path: ['note'], params: { code: 'encoded_data_refused' } });
    expect(FlagInput.safeParse({ target: `https://note-demo.net/${b64.slice(0, 200)}`, reason: 'other' }).success).toBe(false);
    expect(FlagInput.safeParse({ target: 'https://note-demo.net/checkout/pay', reason: 'other', note: PROSE[0] }).success).toBe(true);
  });
});
