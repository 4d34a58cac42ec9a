import { base64urlnopad, hex } from '@scure/base';
import { ApiError } from './errors';

interface SigningKey {
  keyId: string;
  privateKey: CryptoKey;
  publicJwk: JsonWebKey & { kid: string };
}

let cached: { source: string; key: Promise<SigningKey> } | null = null;

const unusable = () =>
  new ApiError(503, 'signing_unavailable', "This server's signing key (SIGNING_KEY) is not an Ed25519 private JWK; lists cannot be served unsigned.");

async function loadKey(source: string): Promise<SigningKey> {
  let jwk: JsonWebKey;
  let privateKey: CryptoKey;
  try {
    jwk = JSON.parse(source) as JsonWebKey;
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d || !jwk.x) throw unusable();
    privateKey = await crypto.subtle.importKey('jwk', jwk, { name: 'Ed25519' }, false, ['sign']);
  } catch {
    console.error('SIGNING_KEY is set but is not an Ed25519 private JWK');
    throw unusable();
  }
  const keyId = hex.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(jwk.x)))).slice(0, 16);
  return { keyId, privateKey, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, alg: 'EdDSA', use: 'sig', kid: keyId } };
}

/** The signing key from the SIGNING_KEY secret, imported once per isolate. */
export function signingKey(env: Env): Promise<SigningKey> {
  const source = env.SIGNING_KEY;
  if (!source) throw new ApiError(503, 'signing_unavailable', 'This server has no signing key configured (SIGNING_KEY); lists cannot be served unsigned.');
  if (cached?.source !== source) {
    const key = loadKey(source);
    cached = { source, key };
    // A key that fails to load is not kept: the next request tries again (after `wrangler secret put` mends it).
    key.catch(() => {
      if (cached?.key === key) cached = null;
    });
  }
  return cached.key;
}

const base64url = (bytes: ArrayBuffer) => base64urlnopad.encode(new Uint8Array(bytes));

export interface Signature {
  keyId: string;
  alg: 'Ed25519';
  value: string;
}

/** Signs one statement (see shared/signed-statements.ts for what each statement says). */
export async function sign(env: Env, statement: string): Promise<Signature> {
  const key = await signingKey(env);
  const value = await crypto.subtle.sign({ name: 'Ed25519' }, key.privateKey, new TextEncoder().encode(statement));
  return { keyId: key.keyId, alg: 'Ed25519', value: base64url(value) };
}

export const signatureHeader = (s: Signature) => `keyid="${s.keyId}", alg="ed25519", sig="${s.value}"`;
