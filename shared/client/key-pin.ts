import { keyFingerprint, rotationHolds, type KeyRotation, type PublicKeys } from '../signed-statements';
import { SyncError } from './sync-error';

/*
 * A partner trusts one signing key, not whatever key set an endpoint serves: a mirror between the partner and the
 * API could serve its own key and sign a forged list with it. The pin is the key's fingerprint, which the operator
 * publishes out of band and a partner can compare. The operator moves to a new key with a rotation statement the
 * pinned key signed; the CLI and the extension follow it by the same rule (`trustServedKeys`).
 */

export { keyFingerprint, rotationHolds };

/** Whether a string is a fingerprint as `keyFingerprint` writes it. */
export const isFingerprint = (value: string): boolean => /^[0-9a-f]{64}$/.test(value);

/** The served keys the pin admits: only the pinned one, so nothing signed by another key verifies. */
const admitted = (served: PublicKeys, pin: string): PublicKeys => ({ keys: served.keys.filter((key) => keyFingerprint(key.x) === pin) });

/**
 * The keys to verify with, given the pin: the pinned key if the endpoint serves it; else the key the pinned one
 * handed over to, through a chain of rotation statements each signed by the key before it (`rotated` names the
 * fingerprints passed, oldest first, and `pin` is the new one to keep). Refused, naming both fingerprints, when
 * no signed chain leads from the pin to a served key.
 */
export async function trustServedKeys(
  served: PublicKeys,
  pin: string,
  rotations: () => Promise<KeyRotation[]>,
): Promise<{ keys: PublicKeys; pin: string; rotated: string[] }> {
  if (admitted(served, pin).keys.length) return { keys: admitted(served, pin), pin, rotated: [] };
  const statements = await rotations();
  const rotated: string[] = [];
  for (let current = pin; !rotated.includes(current); ) {
    rotated.push(current);
    const next = await firstHolding(statements.filter((r) => keyFingerprint(r.from.x) === current));
    if (!next) break;
    current = keyFingerprint(next.to.x);
    if (admitted(served, current).keys.length) return { keys: admitted(served, current), pin: current, rotated };
  }
  const seen = served.keys.map((key) => keyFingerprint(key.x)).join(', ') || 'none';
  throw new SyncError(
    'key_not_pinned',
    `The API's signing key (fingerprint ${seen}) is not the pinned one (${pin}), and no rotation signed by the pinned key leads to it: ` +
      'a mirror between you and the API, or a key replaced after a compromise. Check the fingerprint the operator publishes before you pin another.',
  );
}

async function firstHolding(candidates: KeyRotation[]): Promise<KeyRotation | undefined> {
  for (const candidate of candidates) if (await rotationHolds(candidate)) return candidate;
  return undefined;
}
