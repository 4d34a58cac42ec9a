/**
 * The synthetic checkout pages (test/extension/fixtures/payments/, served on any *-demo.net host at
 * /payments/<name>) and the indicators the popup must offer on each: one pattern of hiding a payment id a page.
 */
export const PAYMENT_FIXTURES: Record<string, string[]> = {
  'frame-checkout': ['merchant:stripe:acct_1FrameDemo0000001'],
  ccbill: ['merchant:ccbill:900100-0001'],
  'verotel-segpay-epoch': ['merchant:verotel:110001', 'merchant:segpay:120002', 'merchant:epoch:demo130003'],
  'paypal-hosted': ['merchant:paypal-button:DEMOBTN140004', 'merchant:paypal-button:DEMOBTN150005', 'merchant:paypal-link:DEMOLNK160006'],
  'links-and-crypto': [
    'merchant:stripe-link:9AQ5demo170007',
    'merchant:coinbase-commerce:5f1e2d3c-demo-1800-0008',
    'merchant:nowpayments:4523190009',
    'wallet:btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    'wallet:eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
  ],
  telegram: ['handle:telegram:undress_tg_demo_bot', 'handle:telegram:undresspay_demo_bot'],
  'app-ids': ['app:bundle:net.undress_fixture.app', 'app:ios:6400000124'],
};
