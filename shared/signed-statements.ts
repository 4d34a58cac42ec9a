import { base64urlnopad, hex } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';

/*
 * What Flagline signs, with Ed25519, in exactly these words. A client verifies the signature against the
 * public key at /.well-known/flagline-keys.json before applying anything.
 *
 * - listStatement: "the list at version V has checksum C". Every snapshot and delta page carries it; a
 *   client that computes C from its own copy (shared/checksum.ts) knows the copy is exact.
 * - changesStatement: "these are exactly the changes after version S up to N", so a client holding only a
 *   prefix set (which cannot recompute the list checksum) can still trust each change it applies.
 * - bodyStatement: "this exact file is the list at version V in format F", over the SHA-256 of the bytes,
 *   for formats that do not carry kinds and statuses (txt, hosts, rpz, …) and for copies taken from a mirror.
 * - fileStatement: the same inside the file itself, over every byte before its signature line, so the first
 *   download of a version is verifiable too, offline, with the file alone.
 * - rotationStatement: "the old key hands over to the new one" (below), signed by the old key.
 * - prefixSetStatement: "the prefix set at version V has checksum C" (SHA-256 of its sorted 4-byte
 *   prefixes), so the extension trusts the set it checks pages against.
 */
export const listStatement = (version: number, checksum: string) => `flagline-list-v1:${version}:${checksum}`;
export const prefixSetStatement = (version: number, checksum: string) => `flagline-prefixes-v1:${version}:${checksum}`;

/** "these are the changes after version `since` up to `next`", over one canonical line per change. */
export function changesStatement(
  since: number,
  next: number,
  changes: { version: number; op: string; kind: string; value: string; status: string | null; reasons: string[]; orgCount: number }[],
): string {
  const lines = changes.map((c) => [c.version, c.op, c.kind, c.value, c.status ?? '', c.reasons.join(','), c.orgCount].join('\t')).join('\n');
  return `flagline-changes-v1:${since}:${next}:${hex.encode(sha256(new TextEncoder().encode(lines)))}`;
}

export const bodyStatement = (format: string, version: number, sha256: string) => `flagline-body-v1:${format}:${version}:${sha256}`;

/** "this file, up to its signature line, is the list at version V in format F" (see shared/formats/file-signature.ts). */
export const fileStatement = (format: string, version: number, sha256: string) => `flagline-file-v1:${format}:${version}:${sha256}`;

export const SignatureSchema = z
  .object({ keyId: z.string(), alg: z.literal('Ed25519'), value: z.string() })
  .meta({ id: 'Signature', description: 'Ed25519 signature (base64url) of listStatement(version, checksum).' });

export const PublicKey = z.object({ kid: z.string(), kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), alg: z.string(), use: z.string() });
export type PublicKey = z.infer<typeof PublicKey>;
export const PublicKeys = z.object({ keys: z.array(PublicKey) }).meta({ id: 'PublicKeys' });
export type PublicKeys = z.infer<typeof PublicKeys>;

/**
 * rotationStatement: "the key with fingerprint F hands over to the key with fingerprint T, as of `at`", signed
 * by the old key (F), so a client that pinned F can move to T without trusting whoever serves T.
 */
export const rotationStatement = (from: string, to: string, at: string) => `flagline-rotation-v1:${from}:${to}:${at}`;

export const KeyRotation = z
  .object({
    from: PublicKey,
    to: PublicKey,
    at: z.iso.datetime(),
    signature: z
      .string()
      .meta({ description: 'Ed25519 signature (base64url) by `from` of "flagline-rotation-v1:{fingerprint of from}:{fingerprint of to}:{at}".' }),
  })
  .meta({ id: 'KeyRotation' });
export type KeyRotation = z.infer<typeof KeyRotation>;
export const KeyRotations = z.object({ rotations: z.array(KeyRotation) }).meta({ id: 'KeyRotations' });
export type KeyRotations = z.infer<typeof KeyRotations>;

/** Verifies a signature over a statement with a published key; false on any mismatch. */
export async function verifyStatement(keys: PublicKeys, signature: { keyId: string; value: string }, statement: string): Promise<boolean> {
  const jwk = keys.keys.find((k) => k.kid === signature.keyId);
  if (!jwk) return false;
  const key = await crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, new Uint8Array(base64urlnopad.decode(signature.value)), new TextEncoder().encode(statement));
}

/** The fingerprint of an Ed25519 public key: SHA-256 of its 32 raw bytes, in hex (64 characters). */
export const keyFingerprint = (x: string): string => hex.encode(sha256(base64urlnopad.decode(x)));

/** Whether a rotation statement is signed by the key it hands over from. */
export async function rotationHolds(rotation: KeyRotation): Promise<boolean> {
  try {
    const statement = rotationStatement(keyFingerprint(rotation.from.x), keyFingerprint(rotation.to.x), rotation.at);
    return await verifyStatement({ keys: [rotation.from] }, { keyId: rotation.from.kid, value: rotation.signature }, statement);
  } catch {
    return false; // not a key, not base64url: not a statement
  }
}

/** Parses a `Flagline-Signature: keyid="…", alg="ed25519", sig="…"` header. */
export function parseSignatureHeader(header: string | null): { keyId: string; value: string } | null {
  const keyId = header?.match(/keyid="([^"]+)"/)?.[1];
  const value = header?.match(/sig="([^"]+)"/)?.[1];
  return keyId && value ? { keyId, value } : null;
}
