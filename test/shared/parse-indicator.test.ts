import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { coveringIndicators, expressionOf, IndicatorParseError, parseIndicator, tryParseIndicator, type Indicator } from '../../shared';

const parsed = (input: string) => expressionOf(parseIndicator(input));
const errorCode = (input: string) => {
  const result = tryParseIndicator(input);
  return result.ok ? `parsed as ${expressionOf(result.indicator)}` : result.error.code;
};

describe('parseIndicator', () => {
  describe('web addresses become the registrable domain', () => {
    it.each([
      ['nudify-demo.net', 'domain:nudify-demo.net'],
      ['NUDIFY-DEMO.NET.', 'domain:nudify-demo.net'],
      ['https://www.nudify-demo.net:8443/pay?plan=pro#top', 'domain:nudify-demo.net'],
      ['https://user:secret@checkout.nudify-demo.net/', 'domain:nudify-demo.net'],
      ['cdn.eu.nudify-demo.co.uk/app.js', 'domain:nudify-demo.co.uk'],
      ['bücher-demo.de', 'domain:xn--bcher-demo-9db.de'],
      ['mirror-7.vercel.app', 'domain:mirror-7.vercel.app'],
    ])('should read %s as %s', (input, expected) => expect(parsed(input)).toBe(expected));

    it('should keep a public IP address as a host', () => expect(parsed('http://203.0.113.9/pay')).toBe('host:203.0.113.9'));

    it.each([
      '2001:db8::1',
      '2001:DB8:0:0:0:0:0:1',
      '2001:0db8::0001',
      '[2001:db8::1]',
      '[2001:db8::1]:443',
      'https://[2001:db8::1]:8443/pay',
      'host:2001:db8::1',
      'host:[2001:db8::1]',
    ])('should read the IPv6 address %s as one host in its RFC 5952 form', (input) => expect(parsed(input)).toBe('host:2001:db8::1'));

    it.each([
      ['2001:db8::g', 'invalid_host'],
      ['2001:db8:::1', 'invalid_host'],
      ['[2001:db8::1', 'invalid_host'],
      ['host:1:2:3:4:5:6:7:8:9', 'invalid_host'],
      ['::1', 'private_address'],
      ['fe80::1', 'private_address'],
      ['fd12:3456::1', 'private_address'],
      ['ff02::1', 'private_address'],
      ['domain:2001:db8::1', 'invalid_domain'],
    ])('should refuse the IPv6 spelling %s with %s', (input, code) => expect(errorCode(input)).toBe(code));
  });

  describe('explicit kinds', () => {
    it.each([
      ['host:cdn.nudify-demo.net', 'host:cdn.nudify-demo.net'],
      ['url:https://Nudify-Demo.net/a/./b/../c?x=1#frag', 'url:https://nudify-demo.net/a/c?x=1'],
      ['url:http://nudify-demo.net:80/', 'url:http://nudify-demo.net/'],
      ['domain:https://a.b.nudify-demo.net/x', 'domain:nudify-demo.net'],
    ])('should read %s as %s', (input, expected) => expect(parsed(input)).toBe(expected));

    it('should take the kind as an option too', () => {
      expect(expressionOf(parseIndicator('https://nudify-demo.net/pay', { kind: 'url' }))).toBe('url:https://nudify-demo.net/pay');
    });
  });

  describe('app-store links name the app', () => {
    it.each([
      ['https://apps.apple.com/us/app/undress-demo/id1234567890', 'app:ios:1234567890'],
      ['https://itunes.apple.com/app/id1234567890?mt=8', 'app:ios:1234567890'],
      ['id1234567890', 'app:ios:1234567890'],
      ['https://play.google.com/store/apps/details?id=com.undress.demo&hl=en', 'app:android:com.undress.demo'],
      ['com.undress-demo.app', 'app:bundle:com.undress-demo.app'],
      ['ios:com.Undress.Demo', 'app:ios:com.undress.demo'],
    ])('should read %s as %s', (input, expected) => expect(parsed(input)).toBe(expected));

    it('should refuse a store link that names no app', () => {
      expect(errorCode('https://apps.apple.com/us/genre/ios-photo/id6008')).toBe('invalid_app');
      expect(errorCode('https://play.google.com/store/search?q=undress')).toBe('invalid_app');
    });
  });

  describe('messenger and social links name the handle', () => {
    it.each([
      ['https://t.me/Undress_Demo_Bot', 'handle:telegram:undress_demo_bot'],
      ['@Undress_Demo', 'handle:telegram:undress_demo'],
      ['https://t.me/joinchat/AbCdEfGhIjKl', 'handle:telegram:+AbCdEfGhIjKl'],
      ['https://discord.gg/AbCd1234', 'handle:discord:AbCd1234'],
      ['https://discord.com/invite/AbCd1234', 'handle:discord:AbCd1234'],
      ['https://x.com/NudifyDemo/status/123', 'handle:x:nudifydemo'],
      ['https://twitter.com/NudifyDemo', 'handle:x:nudifydemo'],
      ['https://www.instagram.com/nudify.demo/', 'handle:instagram:nudify.demo'],
      ['https://www.tiktok.com/@nudify.demo', 'handle:tiktok:nudify.demo'],
      ['https://www.reddit.com/r/NudifyDemo/', 'handle:reddit:r/nudifydemo'],
    ])('should read %s as %s', (input, expected) => expect(parsed(input)).toBe(expected));
  });

  describe('merchant ids', () => {
    it.each([
      ['acct_1AbCdEfGhIjKlMnO', 'merchant:stripe:acct_1AbCdEfGhIjKlMnO'],
      ['stripe:acct_1AbCdEfGhIjKlMnO', 'merchant:stripe:acct_1AbCdEfGhIjKlMnO'],
      ['paypal:abcdefghjklmn', 'merchant:paypal:ABCDEFGHJKLMN'],
      ['ccbill:900000-0000', 'merchant:ccbill:900000-0000'],
    ])('should read %s as %s', (input, expected) => expect(parsed(input)).toBe(expected));

    it('should refuse ids that do not fit the processor', () => {
      expect(errorCode('paypal:short')).toBe('invalid_merchant');
      expect(errorCode('merchant:nopay:123')).toBe('invalid_merchant');
    });
  });

  describe('wallets, with checksums where the chain defines one', () => {
    it.each([
      ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'wallet:btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
      ['BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ', 'wallet:btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
      ['bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297', 'wallet:btc:bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297'],
      ['1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 'wallet:btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT'],
      ['bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq?amount=0.01', 'wallet:btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
      ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 'wallet:eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'],
      ['ethereum:0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359@1', 'wallet:eth:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359'],
      ['TJRabPrwbZy45sbavfcjinPJC18kjpRTv8', 'wallet:trx:TJRabPrwbZy45sbavfcjinPJC18kjpRTv8'],
      ['sol:So11111111111111111111111111111111111111112', 'wallet:sol:So11111111111111111111111111111111111111112'],
    ])('should read %s as %s', (input, expected) => expect(parsed(input)).toBe(expected));

    it.each([
      ['a Bitcoin address with one character changed', '1BoatSLRHtKNngkdXEeobR76b53LETtpyU'],
      ['a bech32 address with a bad checksum', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx'],
      ['a segwit v1 address with a bech32 (not bech32m) checksum', 'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx'],
      ['an Ethereum address whose mixed case breaks EIP-55', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD'],
    ])('should refuse %s', (_, input) => expect(errorCode(input)).toBe('invalid_wallet'));
  });

  describe('IDNA dots in a host read as ASCII dots', () => {
    it.each([
      ['url:https://\uff0efw-demo.net/pay', 'url:https://.fw-demo.net/pay'],
      ['https://\uff0efw-demo.net/pay', 'https://.fw-demo.net/pay'],
      ['fw-demo\uff0enet', 'fw-demo.net'],
      ['host:cdn\u3002fw-demo\uff61net', 'host:cdn.fw-demo.net'],
      ['\uff0efw-demo.net', '.fw-demo.net'],
    ])('should parse %s as its ASCII form', (input, ascii) => expect(parsed(input)).toBe(parsed(ascii)));

    it('should keep a full-width dot in a path as it is', () => {
      expect(parsed('url:https://fw-demo.net/a\uff0eb')).not.toBe(parsed('url:https://fw-demo.net/a.b'));
    });
  });

  describe('shared platforms are never listed whole', () => {
    it.each(['google.com', 'https://www.paypal.com/', 'x.com', 'https://t.me/', 'apps.apple.com', 'drive.google.com'])(
      'should refuse %s with shared_platform',
      (input) => expect(errorCode(input)).toBe('shared_platform'),
    );

    it('should name a specific page on a shared platform as a URL', () => {
      expect(parsed('https://drive.google.com/file/d/demo123/view')).toBe('url:https://drive.google.com/file/d/demo123/view');
      expect(parsed('https://www.paypal.com/ncp/payment/DEMO123')).toBe('url:https://www.paypal.com/ncp/payment/DEMO123');
    });

    it('should say what to flag instead', () => {
      expect(tryParseIndicator('x.com')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/specific page URL, app, handle or merchant/) } });
    });

    // A nudify page's share buttons and logins name the big platforms' apps and accounts: evidence carrying
    // them must never put WhatsApp, Instagram or Stripe's own account on the list.
    it.each([
      ['WhatsApp in the App Store', 'https://apps.apple.com/us/app/whatsapp-messenger/id310633997'],
      ['WhatsApp by its store id', 'id310633997'],
      ["Instagram's Play package", 'https://play.google.com/store/apps/details?id=com.instagram.android'],
      ["Instagram's iOS bundle id", 'ios:com.burbn.instagram'],
      ["Telegram's bundle id, any case", 'bundle:PH.Telegra.Telegraph'],
      ["Stripe's X account", 'x:stripe'],
      ["Stripe's X account as a link", 'https://x.com/stripe'],
      ["PayPal's Instagram account", 'https://www.instagram.com/paypal/'],
      ["Telegram's own wallet bot", '@wallet'],
      ["Reddit's own account", 'reddit:u/reddit'],
    ])('should refuse %s with shared_platform', (_, input) => expect(errorCode(input)).toBe('shared_platform'));

    it('should still take a service’s own apps and handles', () => {
      expect(parsed('https://play.google.com/store/apps/details?id=com.undress.demo')).toBe('app:android:com.undress.demo');
      expect(parsed('x:undress_demo')).toBe('handle:x:undress_demo');
      expect(parsed('@undress_demo_bot')).toBe('handle:telegram:undress_demo_bot');
    });
  });

  describe('clear errors for what cannot be listed', () => {
    it.each([
      ['', 'empty_input'],
      ['   ', 'empty_input'],
      ['x'.repeat(2049), 'input_too_long'],
      ['hello world', 'unsupported_input'],
      ['http://127.0.0.1/admin', 'private_address'],
      ['192.168.1.20', 'private_address'],
      ['nudify-demo.notatld', 'invalid_domain'],
      ['co.uk', 'invalid_domain'],
      ['ftp://nudify-demo.net/file', 'invalid_url'],
      ['telegram:ab', 'invalid_handle'],
    ])('should refuse %j with %s', (input, code) => expect(errorCode(input)).toBe(code));
  });

  describe('properties', () => {
    // Letters and digits with single inner hyphens: never an "xn--" label, which must be valid punycode.
    const label = fc.stringMatching(/^[a-z0-9]{1,10}(-[a-z0-9]{1,10})?$/);
    const domainInput = fc
      .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('net', 'com', 'co.uk', 'de', 'app', 'io'))
      .map(([labels, tld]) => `${labels.join('.')}-demo.${tld}`);

    const anyIndicator: fc.Arbitrary<Indicator> = fc.oneof(
      domainInput.map((d) => parseIndicator(d)),
      fc.tuple(domainInput, fc.webPath(), fc.webQueryParameters()).map(([d, path, q]) => parseIndicator(`url:https://${d}${path}?${q}`)),
      domainInput.map((d) => parseIndicator(`host:cdn.${d}`)),
      fc.integer({ min: 100000, max: 9999999999 }).map((n) => parseIndicator(`id${n}`)),
      fc.stringMatching(/^[a-z][a-z0-9_]{4,20}$/).map((n) => parseIndicator(`@${n}`)),
      fc.stringMatching(/^acct_[A-Za-z0-9]{16}$/).map((id) => parseIndicator(id)),
    );

    it("should be idempotent: parsing an indicator's kind:value gives the same indicator", () => {
      fc.assert(
        fc.property(anyIndicator, (indicator) => {
          expect(parseIndicator(expressionOf(indicator))).toEqual(indicator);
          expect(parseIndicator(indicator.value, { kind: indicator.kind })).toEqual(indicator);
        }),
        { numRuns: 1000 },
      );
    });

    it('should never throw anything but its own error, whatever it is given', () => {
      const inputs = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.webUrl(), fc.emailAddress(), fc.domain());
      fc.assert(
        fc.property(inputs, fc.constantFrom(undefined, 'domain', 'host', 'url', 'app', 'merchant', 'wallet', 'handle' as const), (input, kind) => {
          try {
            parseIndicator(input, { kind });
          } catch (error) {
            expect(error).toBeInstanceOf(IndicatorParseError);
          }
        }),
        { numRuns: 3000 },
      );
    });

    // What a listed service would type in: any Unicode, broken escapes, homographs and mixed scripts, overlong
    // labels, IPv6 and the odd IPv4 forms, on their own or inside platform URLs.
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc
        .tuple(
          fc.constantFrom(
            '',
            'https://',
            'url:https://',
            'host:',
            'domain:',
            't.me/',
            'https://x.com/',
            'https://instagram.com/',
            'https://apps.apple.com/us/app/',
          ),
          fc.string({ unit: fc.constantFrom('%', 'e', '0', 'F', 'z', '/', '.', '@', 'а', 'ı', '．', '。', 'ß'), maxLength: 20 }),
        )
        .map(([a, b]) => a + b),
      fc
        .tuple(
          fc.constantFrom('раypal', 'pаypal', 'xn--pypal-4ve', 'аррle', 'ѕtripe', 'ｅxample', 'nudify'),
          fc.constantFrom('-demo.net', '.com', '.xn--p1ai', '.рф', '．net', '。net'),
        )
        .map(([a, b]) => a + b),
      fc.tuple(fc.integer({ min: 1, max: 300 }), fc.constantFrom('.demo-net.net', '.net')).map(([n, tld]) => `${'a'.repeat(n)}${tld}`),
      fc.integer({ min: 1, max: 140 }).map((n) => `${'a.'.repeat(n)}demo.net`),
      fc.ipV6().chain((ip) => fc.constantFrom(ip, `[${ip}]`, `http://[${ip}]/`, `host:${ip}`)),
      fc.oneof(fc.ipV4(), fc.ipV4Extended()).chain((ip) => fc.constantFrom(ip, `http://${ip}/`, `host:${ip}`)),
      fc.constantFrom('0x7f.1', '2130706433', '127.1', '017700000001', '0x08080808', '8.8.8.8', '::ffff:8.8.8.8', '[::ffff:127.0.0.1]'),
    );

    it('should never throw anything but its own error on hostile input, and read back every indicator it accepts', () => {
      fc.assert(
        fc.property(hostile, fc.constantFrom(undefined, 'domain', 'host', 'url', 'handle' as const), (input, kind) => {
          let indicator: Indicator;
          try {
            indicator = parseIndicator(input, { kind });
          } catch (error) {
            expect(error).toBeInstanceOf(IndicatorParseError);
            return;
          }
          expect(parseIndicator(expressionOf(indicator))).toEqual(indicator);
        }),
        { numRuns: 5000 },
      );
    });

    it('should give every generated domain as its registrable domain, lower-case', () => {
      fc.assert(
        fc.property(fc.domain(), (domain) => {
          const result = tryParseIndicator(domain);
          if (result.ok && result.indicator.kind === 'domain') expect(domain.toLowerCase().endsWith(result.indicator.value)).toBe(true);
        }),
        { numRuns: 1000 },
      );
    });
  });
});

describe('coveringIndicators: what a listing of each covers', () => {
  const cover = (input: string) => {
    const parsed = tryParseIndicator(input);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return coveringIndicators(input, parsed.indicator).map(expressionOf);
  };

  it('should cover a page by its URL, its host and its registrable domain, most specific first', () => {
    expect(cover('https://cdn.mirror-demo.net/pay?x=1')).toEqual([
      'domain:mirror-demo.net',
      'url:https://cdn.mirror-demo.net/pay?x=1',
      'host:cdn.mirror-demo.net',
    ]);
  });

  it('should cover a bare host name by its host and domain, never by a URL', () => {
    expect(cover('cdn.mirror-demo.net')).toEqual(['domain:mirror-demo.net', 'host:cdn.mirror-demo.net']);
    expect(cover('mirror-demo.net')).toEqual(['domain:mirror-demo.net']);
    expect(cover('host:cdn.mirror-demo.net')).toEqual(['host:cdn.mirror-demo.net', 'domain:mirror-demo.net']);
  });

  it('should leave merchants, wallets and handles to themselves', () => {
    expect(cover('acct_1CoverDemo000001')).toEqual(['merchant:stripe:acct_1CoverDemo000001']);
    expect(cover('https://t.me/cover_demo_bot')).toEqual(['handle:telegram:cover_demo_bot']);
  });

  it("should take an Android app's Play link and its package name for one app, an iOS id for itself", () => {
    expect(cover('https://play.google.com/store/apps/details?id=net.cover_demo.app')).toEqual([
      'app:android:net.cover_demo.app',
      'app:bundle:net.cover_demo.app',
    ]);
    expect(cover('net.cover_demo.app')).toEqual(['app:bundle:net.cover_demo.app', 'app:android:net.cover_demo.app']);
    expect(cover('https://apps.apple.com/us/app/cover-demo/id6400000077')).toEqual(['app:ios:6400000077']);
  });
});

describe('payment links and billers: one merchant each', () => {
  it.each([
    ['https://buy.stripe.com/9AQ5demo170007', 'merchant:stripe-link:9AQ5demo170007'],
    ['https://buy.stripe.com/test_9AQ5demo170007', 'merchant:stripe-link:test_9AQ5demo170007'],
    ['https://www.paypal.com/ncp/payment/demolnk160006', 'merchant:paypal-link:DEMOLNK160006'],
    ['https://commerce.coinbase.com/checkout/5f1e2d3c-demo-1800-0008', 'merchant:coinbase-commerce:5f1e2d3c-demo-1800-0008'],
    ['paypal-button:demobtn140004', 'merchant:paypal-button:DEMOBTN140004'],
    ['ccbill:900100-0001', 'merchant:ccbill:900100-0001'],
    ['verotel:110001', 'merchant:verotel:110001'],
    ['segpay:120002', 'merchant:segpay:120002'],
    ['epoch:demo130003', 'merchant:epoch:demo130003'],
    ['nowpayments:4523190009', 'merchant:nowpayments:4523190009'],
  ])('should read %s as %s', (input, expected) => expect(parsed(input)).toBe(expected));

  it.each([
    ['https://www.paypal.com/', 'shared_platform'],
    ['https://buy.stripe.com/', 'shared_platform'],
    ['ccbill:90010', 'invalid_merchant'],
    ['nowpayments:abc', 'invalid_merchant'],
  ])('should refuse %s with %s', (input, code) => expect(errorCode(input)).toBe(code));
});

describe('malformed percent escapes on platform URLs', () => {
  it.each([
    't.me/%',
    'https://t.me/%',
    'x.com/%ff',
    'https://instagram.com/%E0',
    'https://t.me/%E0%A4%A',
    'apps.apple.com/us/app/%/id6400000001',
    'play.google.com/store/apps/details?id=%zz',
  ])('should answer %s with a verdict, never a crash, and read its own expression back the same', (input) => {
    const parsed = tryParseIndicator(input);
    if (parsed.ok) expect(parseIndicator(expressionOf(parsed.indicator))).toEqual(parsed.indicator);
    else expect(parsed.error.code).toEqual(expect.any(String));
  });
});

describe('names that are never listed whole', () => {
  it.each(['wikipedia.org', 'en.wikipedia.org', 'bit.ly', 'https://tinyurl.com', 'host:8.8.8.8', '1.1.1.1', 'bing.com'])(
    'should refuse %s as a shared platform, naming what to flag instead',
    (input) => {
      const parsed = tryParseIndicator(input);
      expect(parsed.ok ? parsed.indicator : parsed.error).toMatchObject({ code: 'shared_platform', message: expect.stringMatching(/flag the specific/) });
    },
  );

  it('should still take the specific page on one of them, as a URL', () => {
    expect(tryParseIndicator('url:https://bit.ly/undress-demo')).toEqual({ ok: true, indicator: { kind: 'url', value: 'https://bit.ly/undress-demo' } });
  });
});
