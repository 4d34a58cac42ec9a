import { describe, expect, it } from 'vitest';
import { mergeFrames, type FrameText } from '../../../extension/lib/frames';

const frame = (over: Partial<FrameText>): FrameText => ({ frameUrl: '', frames: [], title: '', canonicalUrl: null, signals: [], links: [], ...over });

describe('a page read frame by frame', () => {
  const top = frame({
    frameUrl: 'https://front-frames-demo.net/buy',
    title: 'Pro plan',
    frames: ['https://pay.checkout-frames-demo.net/embed', 'https://widget.elsewhere-frames-demo.net/w'],
    signals: [{ type: 'stripe_js', value: 'https://js.stripe.com/v3/' }],
    links: ['https://front-frames-demo.net/terms'],
  });
  const checkout = frame({
    frameUrl: 'https://pay.checkout-frames-demo.net/embed',
    signals: [
      { type: 'stripe_account', value: 'acct_1FrameDemo0000001' },
      { type: 'stripe_js', value: 'https://js.stripe.com/v3/' },
    ],
  });

  it("should take the title from the top frame, and every frame's ids once each", () => {
    const page = mergeFrames(
      [
        { frameId: 7, result: checkout },
        { frameId: 0, result: top },
      ],
      true,
    );
    expect(page?.title).toBe('Pro plan');
    expect(page?.signals).toEqual([
      { type: 'stripe_js', value: 'https://js.stripe.com/v3/' },
      { type: 'stripe_account', value: 'acct_1FrameDemo0000001' },
    ]);
  });

  it('should name each frame it could not read, by origin, and say why', () => {
    const withoutGrant = mergeFrames(
      [
        { frameId: 0, result: top },
        { frameId: 3, result: undefined },
      ],
      false,
    );
    expect(withoutGrant?.unreadFrames).toEqual([
      { origin: 'https://pay.checkout-frames-demo.net', reason: expect.stringContaining('allowed on all sites') },
      { origin: 'https://widget.elsewhere-frames-demo.net', reason: expect.stringContaining('allowed on all sites') },
    ]);
    const granted = mergeFrames(
      [
        { frameId: 0, result: top },
        { frameId: 3, result: checkout },
      ],
      true,
    );
    expect(granted?.unreadFrames).toEqual([
      { origin: 'https://widget.elsewhere-frames-demo.net', reason: expect.stringContaining('did not let Flagline read it') },
    ]);
  });

  it('should read nothing when the top frame cannot be read', () => {
    expect(mergeFrames([{ frameId: 3, result: checkout }], true)).toBeNull();
  });
});
