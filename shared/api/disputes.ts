import { z } from 'zod';
import { IndicatorRef, Target } from './common';
import { NOT_ENCODED, notEncodedData } from './evidence';

/** The most a dispute's statement may say: enough for an explanation, too little to carry a file. */
export const MAX_DISPUTE_STATEMENT = 4000;

/** A public appeal: someone who runs a listed site, app or handle contests the listing. */
export const DisputeRequest = z
  .object({
    target: Target,
    contact: z
      .string()
      .trim()
      .min(3)
      .max(200)
      .refine(notEncodedData, NOT_ENCODED)
      .meta({ description: 'How reviewers reach you: an email address, or another way to write back.' }),
    statement: z
      .string()
      .trim()
      .min(20)
      .max(MAX_DISPUTE_STATEMENT)
      .refine(notEncodedData, NOT_ENCODED)
      .meta({ description: `Why the listing is wrong, in plain text (20 to ${MAX_DISPUTE_STATEMENT} characters).` }),
  })
  .strict()
  .meta({
    id: 'DisputeRequest',
    example: {
      target: 'https://photo-editor-demo.net',
      contact: 'legal@photo-editor-demo.net',
      statement: 'We sell a photo editor with no undressing feature; see our terms.',
    },
  });
export type DisputeRequest = z.infer<typeof DisputeRequest>;

/** Open until a reviewer decides; then the listing was kept, or removed from the list for every partner. */
export const DisputeOutcome = z.enum(['open', 'kept', 'removed']).meta({ id: 'DisputeOutcome' });
export type DisputeOutcome = z.infer<typeof DisputeOutcome>;

/** What a disputer may read of their own dispute, and nothing else. */
export const Dispute = z
  .object({
    id: z.string(),
    indicator: IndicatorRef,
    outcome: DisputeOutcome,
    createdAt: z.string(),
    deadline: z.string().meta({ description: 'When reviewers are due to have decided.' }),
    resolvedAt: z.string().nullable(),
    resolution: z.string().nullable().meta({ description: "The reviewer's reason, once decided." }),
  })
  .meta({ id: 'Dispute' });
export type Dispute = z.infer<typeof Dispute>;

export const DisputeCreated = z
  .object({
    dispute: Dispute,
    token: z.string().meta({ description: 'Shown this once: it reads this dispute (POST /v1/disputes/status) and nothing else.' }),
  })
  .meta({ id: 'DisputeCreated' });
export type DisputeCreated = z.infer<typeof DisputeCreated>;

export const DisputeStatusRequest = z
  .object({
    token: z
      .string()
      .trim()
      .regex(/^fld_[A-Za-z0-9_-]{43}$/, 'A dispute token: fld_ and 43 characters.'),
  })
  .strict()
  .meta({ id: 'DisputeStatusRequest' });
export type DisputeStatusRequest = z.infer<typeof DisputeStatusRequest>;
