import { describe, expect, it } from 'vitest';
import { afterRedirect, afterRequest, chainOf } from '../../../extension/lib/navigation-chain';
import type { Navigation } from '../../../extension/lib/navigation-chain';

type Event = { kind: 'request'; url: string } | { kind: 'redirect'; url: string; redirectUrl: string };
const replay = (events: Event[]) =>
  chainOf(
    events.reduce<Navigation | undefined>(
      (nav, e) => (e.kind === 'request' ? afterRequest(nav, { requestId: '7', url: e.url }) : afterRedirect(nav, { requestId: '7', ...e })),
      undefined,
    )!,
  );
const permutations = <T>(items: T[]): T[][] =>
  items.length <= 1 ? [items] : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));

describe('redirect chains', () => {
  // Firefox, waking a sleeping event page, can deliver one navigation's events out of order.
  it('should keep the front of a chain whatever order its events arrive in', () => {
    const go = 'http://front.chain-demo.net/go';
    const pay = 'http://pay.chain-demo.net/pay';
    const checkout = 'http://checkout.chain-pay-demo.net/checkout';
    const events: Event[] = [
      { kind: 'request', url: go },
      { kind: 'redirect', url: go, redirectUrl: pay },
      { kind: 'request', url: pay },
      { kind: 'redirect', url: pay, redirectUrl: checkout },
      { kind: 'request', url: checkout },
    ];
    for (const order of permutations(events)) expect(replay(order), JSON.stringify(order)).toEqual([go, pay, checkout]);
  });

  it('should start again with a new navigation in the same tab', () => {
    const first = afterRedirect(afterRequest(undefined, { requestId: '1', url: 'http://a-demo.net/' }), {
      requestId: '1',
      url: 'http://a-demo.net/',
      redirectUrl: 'http://b-demo.net/',
    });
    expect(chainOf(afterRequest(first, { requestId: '2', url: 'http://c-demo.net/' }))).toEqual(['http://c-demo.net/']);
  });
});
