import { z } from 'zod';
import { MAX_EVIDENCE_OPAQUE_CHARS, NOT_ENCODED, notEncodedData, opaqueChars } from './plain-text';

export { NOT_ENCODED, notEncodedData };

/*
 * Evidence is text a page showed, never what it looked like, and the contract says exactly what text:
 * known signal types, each with its own pattern and length, a title, the page's URLs and its redirect
 * chain, all within MAX_EVIDENCE_BYTES. No free-text field may hold a long run of base64 or hex, so no
 * encoding of an image fits, however it is split or spelled.
 */

/** The whole evidence of one flag, as JSON, is at most this many bytes. */
export const MAX_EVIDENCE_BYTES = 4096;
const MAX_URL = 512;
const webUrl = (max = MAX_URL) =>
  z
    .string()
    .max(max)
    .regex(/^https?:\/\/[^\s]+$/, 'A web address (http or https).')
    .refine((url) => url.split(/[/?&#=]/).every(notEncodedData), NOT_ENCODED);
const text = (max: number) => z.string().min(1).max(max).refine(notEncodedData, NOT_ENCODED);

/** Each signal type with what its value may be. */
export const SIGNAL_VALUES = {
  stripe_js: webUrl(300),
  stripe_publishable_key: z.string().regex(/^pk_(live|test)_[A-Za-z0-9]{20,120}$/, 'A Stripe publishable key (pk_live_…).'),
  stripe_account: z.string().regex(/^acct_[A-Za-z0-9]{8,32}$/, 'A Stripe account id (acct_…).'),
  paypal_sdk: webUrl(300),
  paypal_client_id: z.string().regex(/^[A-Za-z0-9_-]{4,100}$/, 'A PayPal client id.'),
  paypal_merchant: z.string().regex(/^[A-Za-z0-9@._+-]{3,127}$/, 'A PayPal merchant id or business e-mail.'),
  merchant_id: z
    .string()
    .regex(/^[a-z][a-z-]{1,30}:[A-Za-z0-9._-]{3,80}$/, 'A merchant id as processor:id (ccbill:900000-0001, verotel:…, paypal-button:…, stripe-link:…).'),
  checkout_script: webUrl(300),
  checkout_host: webUrl(300),
  wallet: z.string().regex(/^[A-Za-z0-9:]{20,120}$/, 'A wallet address.'),
  app_link: webUrl(),
  app_id: z.string().regex(/^(ios|android|bundle):[A-Za-z0-9._-]{3,160}$/, 'An app id as platform:id (bundle:com.example.app, ios:6400000001).'),
  handle: z.union([webUrl(300), z.string().regex(/^@?[A-Za-z0-9_.-]{2,64}$/, 'A handle or its profile link.')]),
  link: webUrl(),
  meta: text(200),
  other: text(200),
} as const;

export const SIGNAL_TYPES = Object.keys(SIGNAL_VALUES) as (keyof typeof SIGNAL_VALUES)[];
export type SignalType = keyof typeof SIGNAL_VALUES;

/** One thing the page showed, as text. */
export const Signal = z
  .discriminatedUnion(
    'type',
    SIGNAL_TYPES.map((type) => z.object({ type: z.literal(type), value: SIGNAL_VALUES[type] }).strict()) as unknown as [
      z.ZodObject<{ type: z.ZodLiteral<SignalType>; value: z.ZodType<string> }>,
    ],
  )
  .meta({ id: 'Signal' });
export type Signal = { type: SignalType; value: string };

/** Text only: what the page said, never what it looked like; at most MAX_EVIDENCE_BYTES in all. */
export const Evidence = z
  .object({
    title: text(300).optional(),
    url: webUrl(2048).optional(),
    canonicalUrl: webUrl().optional(),
    signals: z.array(Signal).max(50).optional(),
    redirectChain: z.array(webUrl()).max(10).optional(),
  })
  .strict()
  .superRefine((evidence, ctx) => {
    const bytes = new TextEncoder().encode(JSON.stringify(evidence)).length;
    if (bytes > MAX_EVIDENCE_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `Evidence is at most ${MAX_EVIDENCE_BYTES} bytes of JSON; this is ${bytes}.`,
        params: { code: 'evidence_too_large' },
      });
    }
    // Each field passes on its own; spread over many signals and hops, codes must still not add up to a file.
    const values = [evidence.title, evidence.url, evidence.canonicalUrl, ...(evidence.redirectChain ?? []), ...(evidence.signals ?? []).map((s) => s.value)];
    const opaque = values.reduce((sum, value) => sum + (value ? opaqueChars(value) : 0), 0);
    if (opaque > MAX_EVIDENCE_OPAQUE_CHARS) {
      ctx.addIssue({
        code: 'custom',
        message: `Evidence holds at most ${MAX_EVIDENCE_OPAQUE_CHARS} characters of ids and codes in all; this holds ${opaque}.`,
        params: { code: 'encoded_data_refused' },
      });
    }
  })
  .meta({
    id: 'Evidence',
    description: `Text evidence: known signal types with their own patterns, a title, URLs and a redirect chain; at most ${MAX_EVIDENCE_BYTES} bytes as JSON.`,
  });
export type Evidence = z.infer<typeof Evidence>;

/**
 * Evidence as a client should send it: URLs without queries or fragments (they carry session data more
 * often than evidence), the redirect chain's ends kept when it is long, and signals dropped from the end
 * until the whole fits MAX_EVIDENCE_BYTES. Whatever still breaks the contract is left out.
 */
export function fitEvidence(raw: { title?: string; url?: string; canonicalUrl?: string | null; signals?: Signal[]; redirectChain?: string[] }): Evidence {
  const bare = (url: string | null | undefined) => {
    if (!url) return undefined;
    try {
      const u = new URL(url);
      return `${u.origin}${u.pathname}`.slice(0, MAX_URL);
    } catch {
      return undefined;
    }
  };
  const ok = <T>(schema: z.ZodType<T>, value: unknown): value is T => schema.safeParse(value).success;
  const chain = (raw.redirectChain ?? []).map(bare).filter((u): u is string => !!u && ok(webUrl(), u));
  const candidate: Evidence = {
    ...(raw.title && ok(text(300), raw.title.slice(0, 300)) ? { title: raw.title.slice(0, 300) } : {}),
    ...(bare(raw.url) && ok(webUrl(2048), bare(raw.url)) ? { url: bare(raw.url) } : {}),
    ...(bare(raw.canonicalUrl) && ok(webUrl(), bare(raw.canonicalUrl)) ? { canonicalUrl: bare(raw.canonicalUrl) } : {}),
    signals: (raw.signals ?? []).filter((s) => ok(Signal, s)).slice(0, 50),
    ...(chain.length ? { redirectChain: chain.length > 10 ? [...chain.slice(0, 5), ...chain.slice(-5)] : chain } : {}),
  };
  const tooBig = () =>
    new TextEncoder().encode(JSON.stringify(candidate)).length > MAX_EVIDENCE_BYTES ||
    [candidate.title, candidate.url, candidate.canonicalUrl, ...(candidate.redirectChain ?? []), ...(candidate.signals ?? []).map((s) => s.value)].reduce(
      (sum, value) => sum + (value ? opaqueChars(value) : 0),
      0,
    ) > MAX_EVIDENCE_OPAQUE_CHARS;
  while (tooBig() && candidate.signals?.length) candidate.signals.pop();
  while (tooBig() && candidate.redirectChain?.length) candidate.redirectChain.splice(1, 1);
  if (candidate.signals?.length === 0) delete candidate.signals;
  return Evidence.parse(candidate);
}
