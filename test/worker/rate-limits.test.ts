import { describe, expect, it } from 'vitest';
import { call, newOrg } from './helpers';

// A file of its own: the limiter's counters outlive a test, and these tests spend them on purpose.
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

  it('should count flags per key: one key over 300 a minute is refused, its colleague is not', async () => {
    // Refused bodies count too (the limit stands before validation), which keeps this burst cheap.
    const burst = async () => {
      const { org, keys } = await newOrg('analyst', 'admin');
      const minute = Math.floor(Date.now() / 60_000);
      const answers = [];
      for (let i = 0; i < 301; i++)
        answers.push(await call('POST', '/v1/flags', { key: keys.analyst, body: {}, headers: { 'idempotency-key': `burst-${i}` } }));
      return { org, keys, answers, sameWindow: Math.floor(Date.now() / 60_000) === minute };
    };
    let result = await burst();
    if (!result.sameWindow) result = await burst();
    expect(result.answers.slice(0, 300).every((a) => a.status === 400)).toBe(true);
    const refused = result.answers.at(-1)!;
    expect([refused.status, refused.headers.get('retry-after'), refused.json.error?.code]).toEqual([429, '60', 'rate_limited']);
    // Another key of the same organization has its own count.
    const second = await call('POST', `/v1/admin/orgs/${result.org.id}/keys`, { key: result.keys.admin, body: { role: 'analyst', label: 'Second laptop' } });
    const colleague = await call('POST', '/v1/flags', { key: second.json.key, body: {}, headers: { 'idempotency-key': 'burst-colleague' } });
    expect(colleague.status).toBe(400);
  }, 60_000);
});
