import { describe, expect, it } from 'vitest';
import { FORMATS, INDICATOR_KINDS, IndicatorKind, KIND_TABLE, SERVICE_KEY_KINDS, SHORT_LIVED_KINDS, siteOf } from '../../shared';
import { stixPattern } from '../../shared/formats/stix';

// One table of indicator kinds: every other part reads it, so a new kind is a row (plus its parser and STIX pattern).
describe('the kinds table', () => {
  it('should give every kind a description the contract publishes, a STIX pattern and a rank of its own', () => {
    const description = IndicatorKind.meta()?.description ?? '';
    for (const kind of INDICATOR_KINDS) {
      expect(description).toContain(`${kind}: ${KIND_TABLE[kind].description}`);
      expect(stixPattern({ kind, value: 'x-demo' })).toMatch(/^\[.+\]$/);
    }
    expect(new Set(INDICATOR_KINDS.map((kind) => KIND_TABLE[kind].rank)).size).toBe(INDICATOR_KINDS.length);
  });

  it('should be where expiry, services and the name-only formats take their kinds from', () => {
    expect(SHORT_LIVED_KINDS).toEqual(INDICATOR_KINDS.filter((kind) => KIND_TABLE[kind].shortLived));
    expect([...SERVICE_KEY_KINDS]).toEqual(INDICATOR_KINDS.filter((kind) => KIND_TABLE[kind].namesOneOperator));
    for (const format of ['txt', 'hosts', 'rpz'] as const) {
      expect(FORMATS[format].kinds).toEqual(INDICATOR_KINDS.filter((kind) => KIND_TABLE[kind].inNameFiles));
    }
  });

  it('should find each web kind’s site the way its row says', () => {
    expect(siteOf({ kind: 'domain', value: 'site-demo.net' })).toBe('site-demo.net');
    expect(siteOf({ kind: 'host', value: 'cdn.site-demo.net' })).toBe('site-demo.net');
    expect(siteOf({ kind: 'url', value: 'https://pay.site-demo.net/x' })).toBe('site-demo.net');
    expect(siteOf({ kind: 'host', value: '203.0.113.7' })).toBeNull();
    expect(siteOf({ kind: 'app', value: 'android:com.site.demo' })).toBeNull();
  });
});
