import { describe, expect, it } from 'vitest';
import { call, flag, newOrg } from './helpers';

describe('smoke', () => {
  it('flags', async () => {
    const a = await newOrg('analyst');
    const r = await flag(a.keys.analyst, { target: 'https://nudify-demo.net/pay', reason: 'nudify_site' });
    console.log(r.status, r.text);
    const h = await call('GET', '/health');
    console.log(h.status, h.text);
    expect(r.status).toBe(201);
  });
});
