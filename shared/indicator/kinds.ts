import { z } from 'zod';

/**
 * Every indicator kind and what the rest of Flagline needs to know of it: the one table the schema and OpenAPI,
 * the formats, services, expiry, the extension's ranking and its suggested reasons read. A new kind is a row here
 * plus its parser (`BY_KIND` in parse.ts) and its STIX pattern (`stixPattern`), which the compiler asks for.
 */
export const KIND_TABLE = {
  domain: {
    description: 'a registrable domain (eTLD+1 by the public suffix list, IDN as punycode): the site and every host under it',
    site: 'itself',
    inNameFiles: true,
    namesOneOperator: false,
    shortLived: false,
    rank: 4,
    reason: null,
  },
  host: {
    description: 'one host name or IP address, IPv4 or IPv6 (a mirror)',
    site: 'registrable',
    inNameFiles: true,
    namesOneOperator: false,
    shortLived: true,
    rank: 5,
    reason: null,
  },
  url: {
    description: 'one page, canonicalized as Safe Browsing does',
    site: 'url',
    inNameFiles: false,
    namesOneOperator: false,
    shortLived: true,
    rank: 6,
    reason: null,
  },
  app: {
    description: 'an App Store id, iOS bundle id or Google Play package (ios:…, android:…, bundle:…)',
    site: null,
    inNameFiles: false,
    namesOneOperator: true,
    shortLived: false,
    rank: 0,
    reason: 'nudify_app',
  },
  merchant: {
    description: 'a payment processor account (stripe:acct_…, paypal:…)',
    site: null,
    inNameFiles: false,
    namesOneOperator: true,
    shortLived: false,
    rank: 1,
    reason: 'payment_front',
  },
  wallet: {
    description: 'a crypto wallet (chain:address, checksums verified)',
    site: null,
    inNameFiles: false,
    namesOneOperator: true,
    shortLived: false,
    rank: 3,
    reason: 'payment_front',
  },
  handle: {
    description: 'an account on a messenger or social network (telegram:…, discord:…, x:…)',
    site: null,
    inNameFiles: false,
    namesOneOperator: true,
    shortLived: false,
    rank: 2,
    reason: null,
  },
} as const satisfies Record<
  string,
  {
    description: string;
    /** How its site is found: the value itself, the value's registrable domain, the URL's host, or none. */
    site: 'itself' | 'registrable' | 'url' | null;
    /** Held by the name-only formats (txt, hosts, RPZ). */
    inNameFiles: boolean;
    /** Names one operator (an account, app, wallet or handle), unlike sites that mirrors share: ties flags to a service. */
    namesOneOperator: boolean;
    /** One page or mirror host: goes stale, so it expires unless flagged or reviewed again. */
    shortLived: boolean;
    /** Where the extension ranks it among a page's indicators (0 first: the likeliest to be the service itself). */
    rank: number;
    /** The reason the extension suggests for a flag of it, when its kind alone says; null when the page decides. */
    reason: 'nudify_app' | 'payment_front' | null;
  }
>;

export type IndicatorKind = keyof typeof KIND_TABLE;
export const INDICATOR_KINDS = Object.keys(KIND_TABLE) as [IndicatorKind, ...IndicatorKind[]];
export const IndicatorKind = z.enum(INDICATOR_KINDS).meta({
  id: 'IndicatorKind',
  description: INDICATOR_KINDS.map((kind) => `${kind}: ${KIND_TABLE[kind].description}`).join('; '),
});

/** The kinds whose rows have a trait, in the table's order. */
export const kindsWhere = (trait: (row: (typeof KIND_TABLE)[IndicatorKind]) => boolean): IndicatorKind[] =>
  INDICATOR_KINDS.filter((kind) => trait(KIND_TABLE[kind]));

/** One listable thing, always in canonical form: `value` is what parseIndicator produced. */
export const Indicator = z.object({
  kind: IndicatorKind,
  value: z.string().min(1).max(2048),
});
export type Indicator = z.infer<typeof Indicator>;

/** `kind:value`, the one string form that always parses back to the same indicator. */
export const expressionOf = (indicator: Indicator): string => `${indicator.kind}:${indicator.value}`;
