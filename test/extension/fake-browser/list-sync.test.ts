import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkInputs, syncList } from '../../../extension/lib/list-sync';
import { settings, syncState } from '../../../extension/lib/storage';

// The list sync's schedule on WXT's fake browser: it backs off while the API is down and never decides a page
// from a copy it does not have. (Syncing a real signed list is tested against the real worker in Chromium.)
let requests = 0;
const server = createServer((_, res) => {
  requests++;
  res.writeHead(503, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code: 'list_busy', message: 'Down for maintenance.', requestId: 'r' } }));
});

beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
afterAll(() => server.close());
beforeEach(async () => {
  fakeBrowser.reset();
  requests = 0;
  await settings.setValue({ ...(await settings.getValue()), endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'flk_test' });
});

describe('the list sync', () => {
  it('should back off while the API is down, twice as long each time, and say why', async () => {
    const first = await syncList();
    expect(first).toMatchObject({ failures: 1, pollAfterSeconds: 120, lastError: expect.stringMatching(/./) });
    const alarm = await fakeBrowser.alarms.get('list-sync');
    expect(alarm!.scheduledTime).toBeGreaterThan(Date.now() + 60_000);
    const second = await syncList();
    expect(second).toMatchObject({ failures: 2, pollAfterSeconds: 240 });
    expect(await syncState.getValue()).toEqual(second);
    expect(requests).toBeGreaterThanOrEqual(2);
  });

  it('should decide nothing without a copy: no page is called listed, and nothing is sent for it', async () => {
    requests = 0;
    expect(await checkInputs(['https://unsynced-demo.net/pay'])).toEqual([null]);
    expect(requests).toBe(0);
  });
});
