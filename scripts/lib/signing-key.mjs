import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** A fresh Ed25519 private key as a JWK string, the form the worker's SIGNING_KEY secret takes. */
export function newSigningKeyJwk() {
  const { privateKey } = generateKeyPairSync('ed25519');
  return JSON.stringify(privateKey.export({ format: 'jwk' }));
}

/**
 * Makes sure a .dev.vars-style file holds SIGNING_KEY, generating one if not; returns whether it did.
 * The file is git-ignored: signing keys are never committed.
 */
export function ensureSigningKey(file) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (/^SIGNING_KEY=/m.test(text)) return false;
  writeFileSync(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}SIGNING_KEY='${newSigningKeyJwk()}'\n`, { mode: 0o600 });
  return true;
}
