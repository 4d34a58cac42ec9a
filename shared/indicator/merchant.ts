import { fail } from './errors';

/** Payment processors whose merchant/account ids can be listed, with the shape of their ids. */
const PROCESSORS: Record<string, { pattern: RegExp; normalize?: (id: string) => string; example: string }> = {
  stripe: { pattern: /^acct_[A-Za-z0-9]{8,32}$/, example: 'acct_1AbCdEfGhIjKlMnO' },
  paypal: { pattern: /^[A-Z0-9]{13}$/, normalize: (id) => id.toUpperCase(), example: 'ABCDEFGHJKLMN' },
  square: { pattern: /^[A-Za-z0-9_-]{8,64}$/, example: 'L1ABCDEF23GHI' },
  adyen: { pattern: /^[A-Za-z0-9_.-]{3,80}$/, example: 'DemoMerchantECOM' },
  braintree: { pattern: /^[a-z0-9]{8,32}$/, normalize: (id) => id.toLowerCase(), example: 'abcd1234efgh5678' },
  checkout: { pattern: /^(pk_|ack_)?[A-Za-z0-9_-]{6,64}$/, example: 'ack_abcdefghijklmnop' },
  ccbill: { pattern: /^\d{6}(-\d{4})?$/, example: '900000-0000' },
  segpay: { pattern: /^\d{3,12}$/, example: '123456' },
  verotel: { pattern: /^\d{3,12}$/, example: '9804000000000000' },
  epoch: { pattern: /^[A-Za-z0-9_-]{3,64}$/, example: 'demo123' },
  'coinbase-commerce': { pattern: /^[A-Za-z0-9-]{6,64}$/, example: 'a1b2c3d4-e5f6' },
  // Ids that belong to one merchant account without naming it: a PayPal hosted button (hosted_button_id) or
  // payment link (/ncp/payment/…), a Stripe Payment Link (buy.stripe.com/…), a NOWPayments invoice (iid).
  'paypal-button': { pattern: /^[A-Z0-9]{8,20}$/, normalize: (id) => id.toUpperCase(), example: 'DEMOBUTTON001' },
  'paypal-link': { pattern: /^[A-Z0-9]{8,20}$/, normalize: (id) => id.toUpperCase(), example: 'DEMOLINK00001' },
  'stripe-link': { pattern: /^(test_)?[A-Za-z0-9]{8,40}$/, example: '9AQ5kF0demo0a' },
  nowpayments: { pattern: /^\d{6,20}$/, example: '4523100001' },
};
export const MERCHANT_PROCESSORS = Object.keys(PROCESSORS);
export const isProcessor = (name: string): boolean => name.toLowerCase() in PROCESSORS;

export function parseMerchant(processorName: string, rawId: string): string {
  const processor = processorName.toLowerCase();
  const spec = PROCESSORS[processor];
  if (!spec) {
    return fail('invalid_merchant', `Unknown payment processor "${processorName}"; use one of ${MERCHANT_PROCESSORS.join(', ')}.`);
  }
  const id = (spec.normalize ?? ((s: string) => s))(rawId.trim());
  if (!spec.pattern.test(id)) {
    fail('invalid_merchant', `"${rawId}" is not a ${processor} merchant id (expected something like ${spec.example}).`);
  }
  return `${processor}:${id}`;
}
