import { sha256 } from '@noble/hashes/sha2.js';
import { base64urlnopad, hex } from '@scure/base';
import type { PublicKeys } from '../signed-statements';
import { SyncError } from './sync-error';

/*
 * A partner trusts one signing key, not whatever key set an endpoint serves: a mirror between the partner and the
 * API could serve its own key and sign a forged list with it. The pin is the key's fingerprint, which the operator
 * publishes out of band and a partner can compare.
 */

/** The fingerprint of an Ed25519 public key: SHA-256 of its 32 raw bytes, in hex (64 characters). */
export const keyFingerprint = (x: string): string => hex.encode(sha256(base64urlnopad.decode(x)));

/** Whether a string is a fingerprint as `keyFingerprint` writes it. */
export const isFingerprint = (value: string): boolean => /^[0-9a-f]{64}$/.test(value);

/**
 * The keys of a served key set that the pin admits: only the pinned one, so nothing signed by another key verifies.
 * Refused, naming both fingerprints, when the set does not hold it.
 */
export function pinnedKeys(served: PublicKeys, pin: string): PublicKeys {
  const keys = served.keys.filter((key) => keyFingerprint(key.x) === pin);
  if (keys.length) return { keys };
  const seen = served.keys.map((key) => keyFingerprint(key.x)).join(', ') || 'none';
  throw new SyncError(
    'key_not_pinned',
    `The API's signing key (fingerprint ${seen}) is not the pinned one (${pin}): a mirror between you and the API, or a rotated key. ` +
      'Check the fingerprint the operator publishes before you pin another.',
  );
}
