import { sha256 } from '@noble/hashes/sha2.js';
import { hex } from '@scure/base';
import { fileStatement, verifyStatement, type PublicKeys } from '../signed-statements';

/*
 * One rule makes every file the API serves verifiable on its own, the first download of a version included:
 * the file's last line that holds `flagline-file-v1 format=F version=V keyid=K sig=S` is its signature, and S is
 * the Ed25519 signature of fileStatement(F, V, SHA-256 of every byte before that line). Only closing brackets may
 * follow the line, so nothing can be added after it. Each format puts the line where its readers skip it (a
 * comment, a JSON member, a STIX custom object): see `signature` in ./index.ts.
 */
export const FILE_SIGNATURE_MARK = 'flagline-file-v1';

/** The text of a file's signature line (without the format's comment marker or quotes). */
export const fileSignatureText = (format: string, version: number, signature: { keyId: string; value: string }) =>
  `${FILE_SIGNATURE_MARK} format=${format} version=${version} keyid=${signature.keyId} sig=${signature.value}`;

const MARK = new TextEncoder().encode(`${FILE_SIGNATURE_MARK} `);
const NEWLINE = 10;

/** Where the last signature mark starts, searching back from the end (it sits within the last lines). */
function lastMark(bytes: Uint8Array): number {
  outer: for (let i = bytes.length - MARK.length; i >= 0; i--) {
    for (let j = 0; j < MARK.length; j++) if (bytes[i + j] !== MARK[j]) continue outer;
    return i;
  }
  return -1;
}

export type FileCheck =
  | { ok: true; format: string; version: number; keyId: string; sha256: string }
  | { ok: false; reason: 'unsigned' | 'malformed' | 'trailing_data' | 'bad_signature'; message: string };

/** Splits a file into the bytes its signature covers and what the signature line says. */
export function readFileSignature(
  bytes: Uint8Array,
): Exclude<FileCheck, { ok: true }> | { ok: true; signed: Uint8Array; format: string; version: number; signature: { keyId: string; value: string } } {
  const at = lastMark(bytes);
  if (at < 0) return { ok: false, reason: 'unsigned', message: `No "${FILE_SIGNATURE_MARK}" signature line: not a file as the Flagline API serves it.` };
  let lineStart = at;
  while (lineStart > 0 && bytes[lineStart - 1] !== NEWLINE) lineStart--;
  const rest = new TextDecoder().decode(bytes.subarray(at));
  const fields = rest.match(/^flagline-file-v1 format=([a-z]+) version=(\d+) keyid=([0-9a-f]+) sig=([A-Za-z0-9_-]+)/);
  if (!fields) return { ok: false, reason: 'malformed', message: 'The signature line cannot be read.' };
  // After the line only the format's closing may follow: quotes and brackets, never another entry.
  const after = rest.slice(fields[0].length);
  if (!/^["}\s]*(\n[\s\]}]*)?$/.test(after)) return { ok: false, reason: 'trailing_data', message: 'Something follows the signature line; it is not signed.' };
  return {
    ok: true,
    signed: bytes.subarray(0, lineStart),
    format: fields[1]!,
    version: Number(fields[2]),
    signature: { keyId: fields[3]!, value: fields[4]! },
  };
}

/** Checks a whole file against the given keys, with nothing but the file and the keys. */
export async function verifyFile(bytes: Uint8Array, keys: PublicKeys): Promise<FileCheck> {
  const read = readFileSignature(bytes);
  if (!read.ok) return read;
  const digest = hex.encode(sha256(read.signed));
  if (!keys.keys.some((key) => key.kid === read.signature.keyId)) {
    return { ok: false, reason: 'bad_signature', message: `Signed by key ${read.signature.keyId}, which is not the trusted key.` };
  }
  if (!(await verifyStatement(keys, read.signature, fileStatement(read.format, read.version, digest)))) {
    return { ok: false, reason: 'bad_signature', message: 'The signature does not match the file: it was changed after it was signed.' };
  }
  return { ok: true, format: read.format, version: read.version, keyId: read.signature.keyId, sha256: digest };
}
