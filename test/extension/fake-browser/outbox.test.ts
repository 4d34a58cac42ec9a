import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flushOutbox, submitFlags } from '../../../extension/lib/outbox';
import { outbox, refusedFlags, settings } from '../../../extension/lib/storage';

// The outbox on WXT's fake browser (storage and alarms in Node) against a small local API: what it keeps, retries
// and gives up on, without a browser.
const seen: { key: string | undefined; body: string }[] = [];
let answer: (req: IncomingMessage, res: ServerResponse) => void;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    seen.push({ key: req.headers['idempotency-key'] as string | undefined, body });
    answer(req, res);
  });
});
const reply =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (_: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
const accepted = {
  results: [
    {
      target: 'outbox-demo.net',
      indicator: { kind: 'domain', value: 'outbox-demo.net' },
      outcome: 'accepted',
      flagId: 'flag_1',
      status: 'reported',
      orgCount: 1,
    },
  ],
};
const busy = { error: { code: 'list_busy', message: 'Busy; retry.', requestId: 'r1' } };
const refused = { error: { code: 'invalid_indicator', message: 'google.com is a shared platform.', requestId: 'r2' } };

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => server.close());
beforeEach(async () => {
  fakeBrowser.reset();
  seen.length = 0;
  await settings.setValue({ ...(await settings.getValue()), endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'flk_test' });
});

describe('the outbox', () => {
  it('should keep a flag the API could not take yet, with an alarm, and deliver it once with the same Idempotency-Key', async () => {
    answer = reply(503, busy, { 'retry-after': '1' });
    const first = await submitFlags([{ target: 'outbox-demo.net', reason: 'nudify_site' }], 'popup');
    expect(first).toMatchObject({ state: 'queued' });
    const [pending] = await outbox.getValue();
    expect(pending).toMatchObject({ attempts: 1, lastError: expect.any(String) });
    expect(await fakeBrowser.alarms.get('outbox')).toBeDefined();

    answer = reply(201, accepted);
    expect(await flushOutbox({ force: true })).toEqual([]);
    expect(seen.map((s) => s.key)).toEqual([pending!.idempotencyKey, pending!.idempotencyKey]);
    expect(await outbox.getValue()).toEqual([]);
  });

  it('should retry a 409, not drop it, waiting what Retry-After says', async () => {
    answer = reply(409, { error: { code: 'conflict', message: 'Busy; retry with the same key.', requestId: 'r3' } }, { 'retry-after': '30' });
    const before = Date.now();
    expect(await submitFlags([{ target: 'conflict-demo.net', reason: 'nudify_site' }], 'popup')).toMatchObject({ state: 'queued' });
    const [pending] = await outbox.getValue();
    expect(pending!.nextAttemptAt).toBeGreaterThanOrEqual(before + 30_000);
    // Not due yet: a flush that is not forced sends nothing.
    await flushOutbox();
    expect(seen).toHaveLength(1);
    answer = reply(201, accepted);
    await flushOutbox({ force: true });
    expect(new Set(seen.map((s) => s.key))).toEqual(new Set([pending!.idempotencyKey]));
    expect(await outbox.getValue()).toEqual([]);
  });

  it('should deliver a flag whose answer was lost exactly once: the retry carries the same Idempotency-Key', async () => {
    answer = (_, res) => res.socket?.destroy(); // the API took it; its answer never arrives
    expect(await submitFlags([{ target: 'lost-answer-demo.net', reason: 'nudify_site' }], 'popup')).toMatchObject({ state: 'queued' });
    answer = reply(201, accepted);
    await flushOutbox({ force: true });
    expect(seen).toHaveLength(2);
    expect(seen[0]!.key).toBe(seen[1]!.key);
    expect(seen[0]!.body).toBe(seen[1]!.body);
    expect(await outbox.getValue()).toEqual([]);
  });

  it('should keep a flag refused for good in view with its reason, and never send it again', async () => {
    answer = reply(400, refused);
    const outcome = await submitFlags([{ target: 'google.com', reason: 'other' }], 'popup');
    expect(outcome).toMatchObject({ state: 'failed', code: 'invalid_indicator' });
    expect(await refusedFlags.getValue()).toEqual([expect.objectContaining({ code: 'invalid_indicator', message: refused.error.message })]);
    expect(await outbox.getValue()).toEqual([]);
    await flushOutbox({ force: true });
    expect(seen).toHaveLength(1);
  });
});
