import { describe, expect, it } from 'vitest';
import { Evidence, fitEvidence, MAX_EVIDENCE_BYTES, type Signal } from '../../shared';

describe('fitEvidence: what a client sends of a page', () => {
  it('should drop queries and fragments from URLs, and keep the ends of a long redirect chain', () => {
    const fitted = fitEvidence({
      title: 'Undress Demo',
      url: 'https://shop.fit-demo.net/pay?session=abc123&utm_source=x#top',
      canonicalUrl: 'https://fit-demo.net/',
      redirectChain: Array.from({ length: 14 }, (_, i) => `https://hop-${i}.fit-demo.net/go?t=${i}`),
    });
    expect(fitted.url).toBe('https://shop.fit-demo.net/pay');
    expect(fitted.redirectChain).toEqual([0, 1, 2, 3, 4, 9, 10, 11, 12, 13].map((i) => `https://hop-${i}.fit-demo.net/go`));
  });

  it('should leave out signals the contract refuses, and drop the last ones until the whole fits', () => {
    const signals: Signal[] = [
      { type: 'stripe_account', value: 'acct_1FitDemo00000001' },
      { type: 'stripe_account', value: 'not-an-account' },
      ...Array.from(
        { length: 60 },
        (_, i): Signal => ({
          type: 'app_link',
          value: `https://apps.apple.com/us/app/fit-demo-${i}/id64000000${String(i).padStart(2, '0')}${'-x'.repeat(20)}`,
        }),
      ),
    ];
    const fitted = fitEvidence({ title: 'Fit Demo', signals });
    expect(fitted.signals?.[0]).toEqual({ type: 'stripe_account', value: 'acct_1FitDemo00000001' });
    expect(fitted.signals?.some((s) => s.value === 'not-an-account')).toBe(false);
    expect(new TextEncoder().encode(JSON.stringify(fitted)).length).toBeLessThanOrEqual(MAX_EVIDENCE_BYTES);
    expect(Evidence.safeParse(fitted).success).toBe(true);
  });
});
