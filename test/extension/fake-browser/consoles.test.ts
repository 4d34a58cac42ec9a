import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import { KNOWN_CONSOLES, knownConsole } from '../../../extension/lib/consoles';
import { indicatorsOnPage, isWorkbench } from '../../../extension/lib/page-indicators';

beforeEach(() => fakeBrowser.reset());

describe("the big stores' and processors' consoles, out of the box", () => {
  it.each(KNOWN_CONSOLES.map((c) => [c.name, `https://${c.host}${c.path ?? ''}/review/1234`] as const))('should treat %s as a workbench', (_, url) => {
    expect(isWorkbench(url, [])).toBe(true);
  });

  it('should leave the public pages of the same hosts alone', () => {
    expect(knownConsole('https://play.google.com/store/apps/details?id=net.console_demo.app')).toBeNull();
    expect(isWorkbench('https://play.google.com/store/apps/details?id=net.console_demo.app', [])).toBe(false);
  });

  it("should list what a Play Console page shows, the app's store listing included, never the console", () => {
    const items = indicatorsOnPage(
      {
        url: 'https://play.google.com/console/u/0/developers/123/app/456/review',
        links: [
          'https://play.google.com/store/apps/details?id=net.console_demo.app',
          'https://play.google.com/console/u/0/developers/123/app/456/policy',
          'https://undress-console-demo.net/privacy',
        ],
        signals: [],
      },
      [],
      { withPage: true },
    );
    expect(items.map((i) => `${i.indicator.kind}:${i.indicator.value}`)).toEqual(['app:android:net.console_demo.app', 'domain:undress-console-demo.net']);
  });
});
