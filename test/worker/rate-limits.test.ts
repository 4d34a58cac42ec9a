import { describe, expect, it } from 'vitest';
import { call } from './helpers';

// A file of its own: the limiter's counters outlive a test, and these tests spend them on purpose. The per-key
// limit is tested over HTTP in test/hostile (300 requests cost 10-40 s in this pool, 1-2 s there).
describe('abuse limits (the Rate Limiting binding)', () => {
  it('should refuse a client over the public limit with 429, Retry-After and the error shape', async () => {
    // The local limiter counts in fixed one-minute windows: a burst that straddles a window edge is tried
    // again, from another address.
    const burst = async (client: Record<string, string>) => {
      const minute = Math.floor(Date.now() / 60_000);
      const answers = [];
      for (let i = 0; i < 125; i++) answers.push(await call('GET', '/.well-known/flagline-keys.json', { headers: client }));
      return { answers, sameWindow: Math.floor(Date.now() / 60_000) === minute };
    };
    let client = { 'cf-connecting-ip': '198.51.100.7' };
    let result = await burst(client);
    if (!result.sameWindow) {
      client = { 'cf-connecting-ip': '198.51.100.9' };
      result = await burst(client);
    }
    expect(result.answers.slice(0, 120).every((a) => a.status === 200)).toBe(true);
    const refused = result.answers.at(-1)!;
    expect([refused.status, refused.headers.get('retry-after'), refused.json.error?.code]).toEqual([429, '60', 'rate_limited']);
    // Another address has its own count; /health is never limited.
    expect((await call('GET', '/.well-known/flagline-keys.json', { headers: { 'cf-connecting-ip': '198.51.100.8' } })).status).toBe(200);
    expect((await call('GET', '/health', { headers: client })).status).toBe(200);
  });
});
