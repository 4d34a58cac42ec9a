import { describe, expect, it } from 'vitest';
import { canonicalHost, IndicatorParseError, registrableDomain } from '../../shared';

const domainOf = (input: string): string | null => {
  try {
    return registrableDomain(canonicalHost(input));
  } catch (error) {
    if (error instanceof IndicatorParseError) return null;
    throw error;
  }
};
const punycode = (host: string) => new URL(`http://${host}/`).hostname;

// The public suffix list's own test cases (tests/test_psl.txt, checkPublicSuffix). Flagline answers in
// punycode, so IDN expectations are compared in punycode. Two deliberate differences are listed apart below.
const PSL_CASES: [string, string | null][] = [
  ['COM', null],
  ['example.COM', 'example.com'],
  ['WwW.example.COM', 'example.com'],
  ['biz', null],
  ['domain.biz', 'domain.biz'],
  ['b.domain.biz', 'domain.biz'],
  ['a.b.domain.biz', 'domain.biz'],
  ['com', null],
  ['example.com', 'example.com'],
  ['b.example.com', 'example.com'],
  ['a.b.example.com', 'example.com'],
  ['uk.com', null],
  ['example.uk.com', 'example.uk.com'],
  ['b.example.uk.com', 'example.uk.com'],
  ['a.b.example.uk.com', 'example.uk.com'],
  ['test.ac', 'test.ac'],
  ['mm', null],
  ['c.mm', null],
  ['b.c.mm', 'b.c.mm'],
  ['a.b.c.mm', 'b.c.mm'],
  ['jp', null],
  ['test.jp', 'test.jp'],
  ['www.test.jp', 'test.jp'],
  ['ac.jp', null],
  ['test.ac.jp', 'test.ac.jp'],
  ['www.test.ac.jp', 'test.ac.jp'],
  ['kyoto.jp', null],
  ['test.kyoto.jp', 'test.kyoto.jp'],
  ['ide.kyoto.jp', null],
  ['b.ide.kyoto.jp', 'b.ide.kyoto.jp'],
  ['a.b.ide.kyoto.jp', 'b.ide.kyoto.jp'],
  ['c.kobe.jp', null],
  ['b.c.kobe.jp', 'b.c.kobe.jp'],
  ['a.b.c.kobe.jp', 'b.c.kobe.jp'],
  ['city.kobe.jp', 'city.kobe.jp'],
  ['www.city.kobe.jp', 'city.kobe.jp'],
  ['ck', null],
  ['test.ck', null],
  ['b.test.ck', 'b.test.ck'],
  ['a.b.test.ck', 'b.test.ck'],
  ['www.ck', 'www.ck'],
  ['www.www.ck', 'www.ck'],
  ['us', null],
  ['test.us', 'test.us'],
  ['www.test.us', 'test.us'],
  ['ak.us', null],
  ['test.ak.us', 'test.ak.us'],
  ['www.test.ak.us', 'test.ak.us'],
  ['k12.ak.us', null],
  ['test.k12.ak.us', 'test.k12.ak.us'],
  ['www.test.k12.ak.us', 'test.k12.ak.us'],
  ['食狮.com.cn', '食狮.com.cn'],
  ['食狮.公司.cn', '食狮.公司.cn'],
  ['www.食狮.公司.cn', '食狮.公司.cn'],
  ['shishi.公司.cn', 'shishi.公司.cn'],
  ['公司.cn', null],
  ['食狮.中国', '食狮.中国'],
  ['www.食狮.中国', '食狮.中国'],
  ['shishi.中国', 'shishi.中国'],
  ['中国', null],
  ['xn--85x722f.com.cn', 'xn--85x722f.com.cn'],
  ['xn--85x722f.xn--55qx5d.cn', 'xn--85x722f.xn--55qx5d.cn'],
  ['www.xn--85x722f.xn--55qx5d.cn', 'xn--85x722f.xn--55qx5d.cn'],
  ['shishi.xn--55qx5d.cn', 'shishi.xn--55qx5d.cn'],
  ['xn--55qx5d.cn', null],
  ['xn--85x722f.xn--fiqs8s', 'xn--85x722f.xn--fiqs8s'],
  ['www.xn--85x722f.xn--fiqs8s', 'xn--85x722f.xn--fiqs8s'],
  ['shishi.xn--fiqs8s', 'shishi.xn--fiqs8s'],
  ['xn--fiqs8s', null],
];

describe('registrable domain by the public suffix list', () => {
  it.each(PSL_CASES)('should find the registrable domain of %s: %s', (input, expected) => {
    expect(domainOf(input)).toBe(expected === null ? null : punycode(expected));
  });

  describe('where Flagline deliberately differs from checkPublicSuffix', () => {
    it('should forgive a leading dot, since people paste ".example.com" meaning example.com', () => {
      expect(domainOf('.example.com')).toBe('example.com');
      expect(domainOf('.com')).toBe(null);
    });

    it('should refuse names under top-level domains that do not exist, which no one can register', () => {
      for (const input of ['example', 'example.example', 'b.example.example', 'a.b.example.example']) expect(domainOf(input)).toBe(null);
    });
  });

  it('should treat private suffixes (shared hosting) as suffixes, so each tenant is its own domain', () => {
    expect(domainOf('mirror.nudify-demo.vercel.app')).toBe('nudify-demo.vercel.app');
    expect(domainOf('vercel.app')).toBe(null);
  });
});
