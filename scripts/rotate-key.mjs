#!/usr/bin/env node
// Rotates the worker's signing key: a new Ed25519 key, and a statement signed by the old key that hands over to
// it, so partners who pinned the old key (flagline sync, the extension) move to the new one without re-pinning.
//
//   npm run rotate-key                              the local dev key in .dev.vars (npm start's)
//   npm run rotate-key -- --env-file secrets.vars   an operator's own file holding SIGNING_KEY (never committed)
//
// The file gets the new SIGNING_KEY and KEY_ROTATIONS with the new statement; the script prints both fingerprints
// and what to deploy. The statement's words are shared/signed-statements.ts's rotationStatement (a test checks
// this script's output with the shared code).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { 'env-file': { type: 'string', default: '.dev.vars' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log(
    readFileSync(new URL(import.meta.url), 'utf8')
      .split('\n')
      .slice(1, 10)
      .join('\n')
      .replaceAll('// ', ''),
  );
  process.exit(0);
}
const file = values['env-file'];
if (!existsSync(file)) {
  console.error(`rotate-key: ${file} does not exist (npm start writes .dev.vars; give --env-file for another).`);
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
/** A KEY='value' line of a .dev.vars file (single-quoted, as npm start and this script write them). */
const read = (name) => text.match(new RegExp(`^${name}='([^']*)'$`, 'm'))?.[1] ?? text.match(new RegExp(`^${name}=(.*)$`, 'm'))?.[1];
const oldJwk = read('SIGNING_KEY');
if (!oldJwk) {
  console.error(`rotate-key: ${file} holds no SIGNING_KEY to rotate from.`);
  process.exit(2);
}

const publicJwk = (jwk) => {
  const x = createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'jwk' }).x;
  const kid = createHash('sha256').update(x).digest('hex').slice(0, 16);
  return { kid, kty: 'OKP', crv: 'Ed25519', x, alg: 'EdDSA', use: 'sig' };
};
const fingerprint = (x) => createHash('sha256').update(Buffer.from(x, 'base64url')).digest('hex');

const old = JSON.parse(oldJwk);
const { privateKey } = generateKeyPairSync('ed25519');
const next = privateKey.export({ format: 'jwk' });
const from = publicJwk(old);
const to = publicJwk(next);
const at = new Date().toISOString();
const statement = `flagline-rotation-v1:${fingerprint(from.x)}:${fingerprint(to.x)}:${at}`;
const signature = sign(null, Buffer.from(statement), createPrivateKey({ key: old, format: 'jwk' })).toString('base64url');
const rotations = [...JSON.parse(read('KEY_ROTATIONS') || '[]'), { from, to, at, signature }];

const set = (source, name, value) => {
  const line = `${name}='${value}'`;
  const pattern = new RegExp(`^${name}=.*$`, 'm');
  return pattern.test(source) ? source.replace(pattern, () => line) : `${source}${source && !source.endsWith('\n') ? '\n' : ''}${line}\n`;
};
writeFileSync(file, set(set(text, 'SIGNING_KEY', JSON.stringify(next)), 'KEY_ROTATIONS', JSON.stringify(rotations)), { mode: 0o600 });

console.log(`Rotated the signing key in ${file}:
  from ${fingerprint(from.x)}
  to   ${fingerprint(to.x)}   (publish this fingerprint where partners check it)
For a deployment: wrangler secret put SIGNING_KEY (the new key, from ${file}), and put this in wrangler.jsonc vars:
  "KEY_ROTATIONS": ${JSON.stringify(JSON.stringify(rotations))}
Then destroy the old private key. If it was stolen, a rotation signed by it proves nothing: tell partners the new
fingerprint out of band (they run flagline sync --repin after comparing it) instead.`);
