/*
 * Free text (notes, statements, contacts, reasons, answers) and every id and path field is plain text: what a
 * person writes, or an identifier, never a file. An image fits in text only encoded, so each field refuses the
 * encodings bytes take (base64 and its cousins, base32, hex, byte escapes and byte lists, pixel art in Braille or
 * block characters), and bounds the opaque characters it may hold however they are split or spelled: enough for
 * a few ids, hashes and addresses, far too few for a picture.
 */

/** Opaque characters (tokens that are no word, acronym or short number) one field may hold. */
export const MAX_OPAQUE_CHARS = 256;
/** Opaque characters one flag's whole evidence may hold: a page's ids and keys, not a picture spread over its fields. */
export const MAX_EVIDENCE_OPAQUE_CHARS = 512;

/** A token a person writes: a word, a capitalized word, an acronym, a short number. */
const WORD = /^(?:[A-Za-z][a-z]*|[A-Z]{1,6}|\d{1,4})$/;

/** Base64 or base64url: upper case, lower case and digits mixed, the digits scattered (words and ids cluster theirs). */
const base64Like = (run: string) => /[A-Z]/.test(run) && /[a-z]/.test(run) && (run.match(/\d+/g)?.length ?? 0) >= 3;
/** Hex bytes: digits and the letters a to f, a third digits or more. */
const hexLike = (run: string) => /^[0-9a-f]+$/i.test(run) && /[a-f]/i.test(run) && (run.match(/\d/g)?.length ?? 0) >= run.length / 3;

/**
 * Ids people paste whole, by their shapes: Ethereum addresses and transaction hashes, Stripe and Flagline ids,
 * UUIDs. They pass the run checks (they are no encoding), and count toward the opaque budget like any code.
 */
const KNOWN_ID =
  /\b(?:0x[0-9a-fA-F]{64}|0x[0-9a-fA-F]{40}|(?:acct|pk_live|pk_test|cs_live|cs_test|pi|ch|cus|price|prod|plink|svc|flag|dsp|org|key)_[A-Za-z0-9]{6,110}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/g;

/** Runs that read as bytes: one unbroken run, or short groups (`iVBO Rw0K…`, `89:50:4e…`) read joined. */
function byteRun(value: string): boolean {
  const runs = value.match(/[A-Za-z0-9+/=_-]{32,}/g) ?? [];
  if (runs.some((run) => base64Like(run) || (run.length >= 96 && hexLike(run)))) return true;
  const shortGroups = value
    .split(/\s+|[.,;:|]+/)
    .map((token) => (token.length <= 16 && !WORD.test(token) ? token : ' '))
    .join('');
  if ((shortGroups.match(/[A-Za-z0-9+/=_-]{32,}/g) ?? []).some(base64Like)) return true;
  const hexJoined = value.replace(/0x|\\x|[\s:,;.|-]+/gi, '');
  return (hexJoined.match(/[0-9a-fA-F]{96,}/g) ?? []).some(hexLike);
}

/** Characters in tokens that are no word, acronym or short number. */
export const opaqueChars = (value: string) =>
  value
    .split(/[^A-Za-z0-9+=_]+/)
    .filter((token) => token && !WORD.test(token))
    .reduce((sum, token) => sum + token.length, 0);

/** Eight or more escaped bytes in a row: \xNN, %NN, =NN, \uNNNN, \NNN, &#NN; or &#xNN;. */
const BYTE_ESCAPES = /(?:(?:\\x[0-9a-f]{2}|%[0-9a-f]{2}|=[0-9a-f]{2}|\\u[0-9a-f]{4}|\\[0-7]{3}|&#x?[0-9a-f]{1,5};)\s*){8,}/i;
/** Sixteen or more numbers of a byte's size in a row (decimal or 0x hex byte lists). */
const BYTE_LIST = /(?:\b(?:0x[0-9a-f]{1,2}|\d{1,3})\b[\s,;]+){16,}/i;
/** Pixels drawn with Braille patterns or block elements. */
const PIXEL_ART = /(?:[\u2580-\u259f\u2800-\u28ff][\s]*){16,}/;
/** Base32 in one run or in groups: letters of one case with the digits 2 to 7 interleaved. */
const BASE32_RUN = (joined: string) => (joined.match(/[A-Z2-7=]{40,}|[a-z2-7=]{40,}/g) ?? []).some((run) => (run.match(/[2-7]+/g)?.length ?? 0) >= 6);

/** Which encoding of bytes a text carries, or null for plain text; `budget`: the opaque characters it may hold. */
export function encodedDataIn(value: string, budget = MAX_OPAQUE_CHARS): string | null {
  // A URL's path spells bytes as %XX: read it decoded too (once: a second layer is refused as escaped bytes).
  if (/%[0-9a-f]{2}/i.test(value)) {
    let decoded = value;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      // malformed escapes: read as written
    }
    if (decoded !== value) {
      const found = plainTextCheck(decoded, budget);
      if (found) return found;
    }
  }
  return plainTextCheck(value, budget);
}

function plainTextCheck(value: string, budget: number): string | null {
  if (/data:[a-z]+\/[a-z0-9.+-]+;base64,/i.test(value)) return 'a data: URL';
  if (BYTE_ESCAPES.test(value)) return 'escaped bytes';
  if (BYTE_LIST.test(value)) return 'a list of byte values';
  if (PIXEL_ART.test(value)) return 'pixels drawn in Braille or block characters';
  const ids = value.match(KNOWN_ID) ?? [];
  const rest = value.replace(KNOWN_ID, ' ');
  if (byteRun(rest)) return 'a long run of base64 or hex';
  if (BASE32_RUN(rest.replace(/\s+/g, ''))) return 'base32';
  if (opaqueChars(rest) + ids.join('').length > budget) return `more than ${budget} characters of ids, codes or numbers`;
  return null;
}

export const notEncodedData = (value: string) => encodedDataIn(value) === null;
export const NOT_ENCODED = {
  message: 'Plain text only: encoded data (base64, hex, escaped bytes, long runs of codes) is refused; Flagline never takes a file.',
  params: { code: 'encoded_data_refused' },
};
