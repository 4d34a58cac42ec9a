import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../shared/client';
import { rotationStatement, type KeyRotation } from '../../shared';
import { createApp } from '../../worker/src/app';

/** An Ed25519 key pair in the forms a rotation statement names: its public JWK, and a signer. */
async function keyPair() {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey & { x: string };
  const publicJwk = { kid: keyFingerprint(jwk.x).slice(0, 16), kty: 'OKP' as const, crv: 'Ed25519' as const, x: jwk.x, alg: 'EdDSA', use: 'sig' };
  const sign = async (text: string) =>
    Buffer.from(await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, new TextEncoder().encode(text))).toString('base64url');
  return { publicJwk, sign };
}

async function rotation(from: Awaited<ReturnType<typeof keyPair>>, to: Awaited<ReturnType<typeof keyPair>>, signer = from): Promise<KeyRotation> {
  const at = '2026-12-04T10:00:00.000Z';
  const signature = await signer.sign(rotationStatement(keyFingerprint(from.publicJwk.x), keyFingerprint(to.publicJwk.x), at));
  return { from: from.publicJwk, to: to.publicJwk, at, signature };
}

const app = createApp();
const rotationsWith = (KEY_ROTATIONS: string) =>
  app.request('/.well-known/flagline-key-rotations.json', {}, { ...env, KEY_ROTATIONS }, { waitUntil() {}, passThroughOnException() {}, props: {} });

describe('the signing key rotations partners follow', () => {
  it('should serve none on a deployment that never rotated', async () => {
    const res = await rotationsWith('[]');
    expect([res.status, await res.json()]).toEqual([200, { rotations: [] }]);
    expect(res.headers.get('etag')).toBeTruthy();
  });

  it('should serve only statements the old key signed, oldest first', async () => {
    const [a, b, c, mirror] = await Promise.all([keyPair(), keyPair(), keyPair(), keyPair()]);
    const good = [await rotation(a, b), await rotation(b, c)];
    // Handed over "from a" but signed by someone else's key: proves nothing, so it is not served.
    const forged = await rotation(a, mirror, mirror);
    const res = await rotationsWith(JSON.stringify([good[0], forged, good[1]]));
    expect(((await res.json()) as { rotations: KeyRotation[] }).rotations).toEqual(good);
  });
});
