import { describe, expect, it } from 'vitest';
import { detectedIndicators } from '../../../shared';
import { suggestReason } from '../../../extension/lib/page-target';
import type { PageText } from '../../../extension/lib/signals';
import { extractSignals } from '../../../extension/lib/valid-signals';

const page = (over: Partial<PageText>): PageText => ({ scriptSrcs: [], inlineScripts: [], links: [], formActions: [], iframeSrcs: [], text: '', ...over });

describe('reading signals from page text', () => {
  it('should find checkout scripts, PayPal client and merchant ids, Stripe keys and accounts', () => {
    const signals = extractSignals(
      page({
        scriptSrcs: [
          'https://js.stripe.com/v3/',
          'https://www.paypal.com/sdk/js?client-id=DEMO-1&merchant-id=DEMOMERCHANT7,DEMOMERCHANT8',
          'https://cdn.undress-demo.net/app.js',
        ],
        inlineScripts: ["Stripe('pk_live_DemoDemoDemoDemoDemo0001', { stripeAccount: 'acct_1UndressDemo0001A' })"],
        formActions: ['https://bill.ccbill.com/jpost/signup.cgi?clientAccnum=900000'],
      }),
    );
    expect(signals).toEqual([
      { type: 'stripe_js', value: 'https://js.stripe.com/v3/' },
      { type: 'paypal_sdk', value: 'https://www.paypal.com/sdk/js' },
      { type: 'paypal_client_id', value: 'DEMO-1' },
      { type: 'paypal_merchant', value: 'DEMOMERCHANT7' },
      { type: 'paypal_merchant', value: 'DEMOMERCHANT8' },
      { type: 'checkout_host', value: 'https://bill.ccbill.com/jpost/signup.cgi' },
      { type: 'merchant_id', value: 'ccbill:900000' },
      { type: 'stripe_publishable_key', value: 'pk_live_DemoDemoDemoDemoDemo0001' },
      { type: 'stripe_account', value: 'acct_1UndressDemo0001A' },
    ]);
  });

  it('should find app-store links, handles and wallet addresses, once each', () => {
    const signals = extractSignals(
      page({
        links: [
          'https://apps.apple.com/us/app/undress-demo/id6400000001',
          'https://t.me/undress_demo_bot',
          'https://t.me/undress_demo_bot',
          'https://undress-demo.net/about',
        ],
        text: 'BTC: bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 ETH: 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      }),
    );
    expect(signals.map((s) => s.type)).toEqual(['app_link', 'handle', 'wallet', 'wallet']);
  });

  it('should find what a page keeps out of sight: attribute values, form fields, meta tags, JSON-LD, inline JSON, frames', () => {
    const signals = extractSignals(
      page({
        attributes: [
          'acct_1AttrDemoAccount01', // data-stripe-account
          'pk_live_AttrDemoAttrDemoAttrDemo01', // a hidden input
          'Chat with us: https://t.me/attr_demo_bot.', // meta description
        ],
        inlineScripts: [
          '{"@context":"https://schema.org","@type":"SoftwareApplication","sameAs":["https:\\/\\/play.google.com\\/store\\/apps\\/details?id=net.attrdemo.app"]}',
          '{"checkout":{"url":"https://buy.stripe.com/attrdemo01"},"wallet":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}',
        ],
        iframeSrcs: ['https://apps.apple.com/us/app/attr-demo/id6400000002'],
      }),
    );
    expect(signals).toEqual(
      expect.arrayContaining([
        { type: 'stripe_account', value: 'acct_1AttrDemoAccount01' },
        { type: 'stripe_publishable_key', value: 'pk_live_AttrDemoAttrDemoAttrDemo01' },
        { type: 'handle', value: 'https://t.me/attr_demo_bot' },
        { type: 'app_link', value: 'https://play.google.com/store/apps/details?id=net.attrdemo.app' },
        { type: 'checkout_host', value: 'https://buy.stripe.com/attrdemo01' },
        { type: 'link', value: 'https://buy.stripe.com/attrdemo01' },
        { type: 'wallet', value: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' },
        { type: 'app_link', value: 'https://apps.apple.com/us/app/attr-demo/id6400000002' },
      ]),
    );
    expect(signals).toHaveLength(8);
  });

  /** The merchant indicators a page's text gives, as the popup offers them. */
  const merchants = (over: Partial<PageText>) =>
    detectedIndicators(extractSignals(page(over)))
      .map((d) => `${d.indicator.kind}:${d.indicator.value}`)
      .sort();

  it.each<[string, Partial<PageText>, string[]]>([
    [
      'CCBill account and sub-account in hidden form fields',
      {
        formActions: ['https://bill.ccbill.com/jpost/signup.cgi'],
        fields: [
          ['clientAccnum', '900100'],
          ['clientSubacc', '0001'],
          ['formName', '211cc'],
        ],
      },
      ['merchant:ccbill:900100-0001'],
    ],
    [
      'CCBill FlexForms link',
      { links: ['https://api.ccbill.com/wap-frontflex/flexforms/demo-form?clientAccnum=900200&clientSubacc=0002'] },
      ['merchant:ccbill:900200-0002'],
    ],
    [
      'Verotel shopID in the order link',
      { links: ['https://secure.verotel.com/startorder?version=4&shopID=110001&priceAmount=9.99'] },
      ['merchant:verotel:110001'],
    ],
    [
      'Segpay eticket (package:price point)',
      { formActions: ['https://secure2.segpay.com/billing/poset.cgi?x-eticketid=120002:3001'] },
      ['merchant:segpay:120002'],
    ],
    ['Epoch product code', { links: ['https://wnu.com/secure/services/?api=join&pi_code=demo130003'] }, ['merchant:epoch:demo130003']],
    [
      'PayPal hosted button in a form',
      {
        formActions: ['https://www.paypal.com/cgi-bin/webscr'],
        fields: [
          ['cmd', '_s-xclick'],
          ['hosted_button_id', 'DEMOBTN140004'],
        ],
      },
      ['merchant:paypal-button:DEMOBTN140004'],
    ],
    [
      'PayPal HostedButtons in script',
      { inlineScripts: ['paypal.HostedButtons({ hostedButtonId: "DEMOBTN150005" }).render("#paypal-container")'] },
      ['merchant:paypal-button:DEMOBTN150005'],
    ],
    ['PayPal payment link', { links: ['https://www.paypal.com/ncp/payment/DEMOLNK160006'] }, ['merchant:paypal-link:DEMOLNK160006']],
    ['Stripe Payment Link', { links: ['https://buy.stripe.com/9AQ5demo170007'] }, ['merchant:stripe-link:9AQ5demo170007']],
    [
      'Coinbase Commerce checkout',
      { iframeSrcs: ['https://commerce.coinbase.com/checkout/5f1e2d3c-demo-1800-0008'] },
      ['merchant:coinbase-commerce:5f1e2d3c-demo-1800-0008'],
    ],
    ['NOWPayments invoice widget', { iframeSrcs: ['https://nowpayments.io/embeds/payment-widget?iid=4523190009'] }, ['merchant:nowpayments:4523190009']],
  ])('should read %s as a merchant', (_, over, expected) => expect(merchants(over)).toEqual(expected));

  it('should read app ids where a store page or console labels them, and no bare dotted name elsewhere', () => {
    expect(
      merchants({
        text: 'Package name: net.undress_demo.app\nApple ID: 6400000123\nBundle ID com.undressdemo.ios\nSee readme.md and cdn.undress-demo.net\nPackage e.g. the Pro plan',
      }),
    ).toEqual(['app:bundle:com.undressdemo.ios', 'app:bundle:net.undress_demo.app', 'app:ios:6400000123']);
  });

  it("should read a field or parameter as a biller's only where that biller is: on its host, or on a page that loads it", () => {
    // Another biller on the page does not make a NOWPayments invoice of an "iid" field.
    expect(merchants({ scriptSrcs: ['https://www.paypal.com/sdk/js?client-id=DEMO-1'], fields: [['iid', '4523190009']] })).toEqual([]);
    // In a URL, a parameter belongs to the host it is sent to.
    expect(merchants({ links: ['https://shop.elsewhere-demo.net/cart?shopID=110001&iid=4523190009'] })).toEqual([]);
  });

  it('should read a shopID or iid field only on a page that loads that biller', () => {
    expect(
      merchants({
        fields: [
          ['shopID', '110001'],
          ['iid', '4523190009'],
        ],
      }),
    ).toEqual([]);
    expect(merchants({ scriptSrcs: ['https://secure.verotel.com/js/demo.js'], fields: [['shopID', '110001']] })).toEqual(['merchant:verotel:110001']);
  });

  it('should read wallets from alt and title text, tg:// links and @…bot in text as handles', () => {
    const found = merchants({
      attributes: ['Scan to pay: bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4?amount=0.001', 'ETH 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
      links: ['tg://resolve?domain=undress_tg_demo_bot'],
      text: 'Pay in our bot @UndressPay_demo_bot or write to @support (not a bot).',
    });
    expect(found).toEqual([
      'handle:telegram:undress_tg_demo_bot',
      'handle:telegram:undresspay_demo_bot',
      'wallet:btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      'wallet:eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
    ]);
  });

  it('should cap what it collects at 50 signals, as many as evidence may carry', () => {
    const links = Array.from({ length: 500 }, (_, i) => `https://t.me/undress_demo_${i}`);
    expect(extractSignals(page({ links }))).toHaveLength(50);
  });
});

describe('what the popup suggests', () => {
  it('should turn listable signals into indicators, dropping ones that do not check out', () => {
    const detected = detectedIndicators([
      { type: 'stripe_account', value: 'acct_1UndressDemo0001A' },
      { type: 'wallet', value: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5' }, // bad checksum
      { type: 'handle', value: 'https://t.me/undress_demo_bot' },
      { type: 'stripe_js', value: 'https://js.stripe.com/v3/' },
    ]);
    expect(detected.map((d) => `${d.indicator.kind}:${d.indicator.value}`)).toEqual([
      'merchant:stripe:acct_1UndressDemo0001A',
      'handle:telegram:undress_demo_bot',
    ]);
  });

  it('should suggest a reason from the kind and the page', () => {
    expect(suggestReason({ kind: 'app', value: 'ios:6400000001' }, [])).toBe('nudify_app');
    expect(suggestReason({ kind: 'merchant', value: 'stripe:acct_1UndressDemo0001A' }, [])).toBe('payment_front');
    expect(suggestReason({ kind: 'domain', value: 'undress-demo.net' }, [{ type: 'stripe_js', value: 'x' }], 'https://pay.undress-demo.net/checkout')).toBe(
      'payment_front',
    );
    expect(suggestReason({ kind: 'domain', value: 'undress-demo.net' }, [{ type: 'stripe_js', value: 'x' }], 'https://undress-demo.net/')).toBe('nudify_site');
  });
});
