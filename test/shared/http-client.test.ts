import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiFailure, backoffMs, callApi, isRetryableStatus, parseRetryAfter, send, sendWithRetries } from '../../shared/client';
import { canonicalJson } from '../../shared';
import { listen } from '../support/worker-process';

describe('the retry rule shared by the extension and the CLI', () => {
  it('should retry timeouts, conflicts, rate limits and server errors, and nothing else', () => {
    const retried = [200, 201, 304, 400, 401, 403, 404, 408, 409, 410, 413, 415, 422, 429, 500, 502, 503].filter(isRetryableStatus);
    expect(retried).toEqual([408, 409, 429, 500, 502, 503]);
  });

  it('should read Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-28T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('should back off exponentially with jitter, capped, and never sooner than the server asked', () => {
    for (let attempt = 0; attempt < 6; attempt++) {
      const wait = backoffMs(attempt, { baseMs: 1000, maxMs: 10_000 });
      expect(wait).toBeGreaterThanOrEqual(Math.min(10_000, 1000 * 2 ** attempt) * 0.75);
      expect(wait).toBeLessThanOrEqual(Math.min(10_000, 1000 * 2 ** attempt) * 1.25);
    }
    expect(backoffMs(0, { baseMs: 10, retryAfterMs: 5000 })).toBe(5000);
  });
});

describe('the HTTP client against a server that fails first', () => {
  const answers: { status: number; headers?: Record<string, string>; body?: unknown; cut?: boolean }[] = [];
  const seen: { method: string; key: string | undefined; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, key: req.headers['idempotency-key'] as string | undefined, body });
      const next = answers.shift() ?? { status: 200, body: { ok: true } };
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      if (next.cut) {
        res.write('{"ok":');
        res.socket?.destroy();
        return;
      }
      res.end(JSON.stringify(next.body ?? { error: { code: 'conflict', message: 'busy', requestId: 'r' } }));
    });
  });
  let endpoint = '';
  beforeAll(async () => {
    endpoint = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(() => {
    server.close();
  });
  const Ok = z.object({ ok: z.literal(true) });
  const fast = { retries: 3, baseMs: 1, sleep: async () => {} };

  it('should send the same request again, Idempotency-Key included, after a 409, a 503 and a cut-off answer', async () => {
    seen.length = 0;
    answers.push({ status: 409 }, { status: 503, headers: { 'retry-after': '0' } }, { status: 200, cut: true });
    const init = { method: 'POST', body: { target: 'retry-demo.net' }, headers: { 'idempotency-key': 'k-1' } };
    await expect(callApi({ endpoint, apiKey: 'flk_x' }, Ok, '/v1/flags', init, fast)).resolves.toEqual({ ok: true });
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((s) => `${s.method} ${s.key} ${s.body}`))).toEqual(new Set(['POST k-1 {"target":"retry-demo.net"}']));
  });

  it('should give up after its retries with the last answer, and never retry a refusal', async () => {
    seen.length = 0;
    answers.push({ status: 503 }, { status: 503 });
    const last = await sendWithRetries({ endpoint, apiKey: 'flk_x' }, '/v1/list', {}, { ...fast, retries: 1 });
    expect([last.status, seen.length]).toEqual([503, 2]);
    seen.length = 0;
    answers.push({ status: 422, body: { error: { code: 'invalid_indicator', message: 'no', requestId: 'r' } } });
    await expect(callApi({ endpoint, apiKey: 'flk_x' }, Ok, '/v1/flags', { body: {} }, fast)).rejects.toMatchObject({
      code: 'invalid_indicator',
      retryable: false,
    });
    expect(seen).toHaveLength(1);
  });
});

describe('a server that never answers', () => {
  it('should give up waiting for the headers after the timeout, as a retryable network failure, never hang', async () => {
    // Accepts the connection and then says nothing, as a black-holed port or an https upgrade to a plain-http host can.
    const silent = createServer(() => undefined);
    const port = await listen(silent);
    const failure = await send({ endpoint: `http://127.0.0.1:${port}`, apiKey: 'flk_x' }, '/health', { timeoutMs: 300 }).catch((e) => e);
    silent.closeAllConnections();
    silent.close();
    expect(failure).toBeInstanceOf(ApiFailure);
    expect([failure.code, failure.retryable, failure.message]).toEqual(['network', true, `http://127.0.0.1:${port} did not answer within 0.3 s.`]);
  });
});

describe('the idempotency fingerprint', () => {
  it('should read the same request the same whatever its key order and whitespace', () => {
    const a = JSON.parse('{"target":"x-demo.net","reason":"other","evidence":{"title":"T","signals":[{"type":"wallet","value":"v"}]}}');
    const b = JSON.parse('{ "evidence": { "signals": [ { "value": "v", "type": "wallet" } ], "title": "T" },\n "reason": "other", "target": "x-demo.net" }');
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson({ ...a, reason: 'affiliate' })).not.toBe(canonicalJson(a));
    // Array order is meaning (a batch of flags), so it is kept.
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});
