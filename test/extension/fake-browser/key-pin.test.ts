import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInputs, repin, syncList } from '../../../extension/lib/list-sync';
import { keyPins, settings } from '../../../extension/lib/storage';
import { keyFingerprint } from '../../../shared/client';
import { listen, ROOT, WorkerProcess } from '../../support/worker-process';

/*
 * The extension trusts the list by the CLI's rule: the key the API served on the first sync is pinned; a mirror
 * that serves its own key set is refused and the copy stays as it was; the operator's rotation (signed by the
 * pinned key) moves the pin; the analyst can pin anew from the options page after checking the fingerprint.
 * Against the real worker (wrangler dev), on WXT's fake browser.
 */
const worker = new WorkerProcess();
let reader = '';
const mirror = { forging: false };
let mirrorEndpoint = '';
const mirrorKey = (generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string }).x;
const servedKey = async () =>
  keyFingerprint(((await (await fetch(`${worker.endpoint}/.well-known/flagline-keys.json`)).json()) as { keys: { x: string }[] }).keys[0]!.x);

beforeAll(async () => {
  await worker.start();
  const orgs = [worker.createOrg('Pin Demo A', ['analyst']), worker.createOrg('Pin Demo B', ['analyst'])];
  reader = worker.createOrg('Pin Demo Operator', ['reader'], 'operator').keys.reader!;
  for (const org of orgs) expect((await worker.flag(org.keys.analyst!, 'pinned-list-demo.net')).status).toBe(201);
  // A front that passes everything through until told to forge: then it serves its own key under the real key's id.
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const upstream = await fetch(new URL(req.url!, worker.endpoint), {
      method: req.method,
      headers: { authorization: req.headers.authorization ?? '', 'content-type': req.headers['content-type'] ?? 'application/json' },
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks),
    });
    let body = await upstream.text();
    if (mirror.forging && req.url === '/.well-known/flagline-keys.json') {
      const real = JSON.parse(body) as { keys: { kid: string }[] };
      body = JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: mirrorKey, alg: 'EdDSA', use: 'sig', kid: real.keys[0]!.kid }] });
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(body);
  });
  mirrorEndpoint = `http://127.0.0.1:${await listen(server)}`;
  fakeBrowser.reset();
  await settings.setValue({ endpoint: mirrorEndpoint, apiKey: reader });
}, 120_000);
afterAll(() => worker.dispose());

describe('the signing key the extension trusts', () => {
  it('should pin the served key on the first sync and decide pages from the verified copy', async () => {
    expect(await syncList()).toMatchObject({ lastError: null });
    expect(await keyPins.getValue()).toEqual({ [mirrorEndpoint]: await servedKey() });
    expect((await checkInputs(['https://pinned-list-demo.net/pay']))[0]).toMatchObject({ value: 'pinned-list-demo.net', status: 'listed' });
  });

  it('should refuse a key set a mirror swapped in, keep the pin and the copy, and say why', async () => {
    mirror.forging = true;
    const state = await syncList();
    expect(state.lastError).toMatch(/is not the pinned one/);
    expect(await keyPins.getValue()).toEqual({ [mirrorEndpoint]: await servedKey() });
    expect((await checkInputs(['https://pinned-list-demo.net/pay']))[0]).toMatchObject({ status: 'listed' });
    mirror.forging = false;
  });

  it("should follow the operator's rotation, signed by the pinned key, to the new key", async () => {
    const before = await servedKey();
    await worker.stop();
    const rotated = spawnSync(process.execPath, [join(ROOT, 'scripts', 'rotate-key.mjs'), '--env-file', join(worker.persistDir, '.dev.vars')]);
    expect(rotated.status).toBe(0);
    await worker.start();
    const after = await servedKey();
    expect(after).not.toBe(before);
    expect(await syncList()).toMatchObject({ lastError: null });
    expect(await keyPins.getValue()).toEqual({ [mirrorEndpoint]: after });
  });

  it('should pin anew only when the analyst asks, after a key was replaced with no rotation', async () => {
    // A pin the API has no rotation from (as after a compromise, when the operator publishes the new key out of band).
    await keyPins.setValue({ [mirrorEndpoint]: 'ab'.repeat(32) });
    expect((await syncList()).lastError).toMatch(/is not the pinned one/);
    expect(await repin()).toMatchObject({ lastError: null });
    expect(await keyPins.getValue()).toEqual({ [mirrorEndpoint]: await servedKey() });
  });
});
