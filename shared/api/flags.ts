import { z } from 'zod';
import { IndicatorKind } from '../indicator/kinds';
import { IndicatorRef, IndicatorSummary, LookupStatus, Reason, Status, Target } from './common';
import { Evidence } from './evidence';
import { NOT_ENCODED, notEncodedData } from './plain-text';
import { ServiceLink } from './service-ref';

export { Evidence, fitEvidence, MAX_EVIDENCE_BYTES, Signal, SIGNAL_TYPES, SIGNAL_VALUES, type SignalType } from './evidence';

export const FlagInput = z
  .object({
    // What is flagged is stored as sent: an id, an address or a path, never a file spelled out in it.
    target: Target.refine(notEncodedData, NOT_ENCODED),
    kind: IndicatorKind.optional().meta({ description: 'Read target as this kind instead of guessing.' }),
    reason: Reason,
    note: z
      .string()
      .trim()
      .max(2000)
      .refine(notEncodedData, NOT_ENCODED)
      .optional()
      .meta({ description: 'Plain text for reviewers (at most 2,000 characters; encoded data is refused).' }),
    evidence: Evidence.optional(),
  })
  .strict()
  .meta({ id: 'FlagInput' });
export type FlagInput = z.infer<typeof FlagInput>;

export const MAX_FLAGS_PER_REQUEST = 500;
export const FlagRequest = z.union([FlagInput, z.object({ flags: z.array(FlagInput).min(1).max(MAX_FLAGS_PER_REQUEST) }).strict()]).meta({ id: 'FlagRequest' });
export type FlagRequest = z.infer<typeof FlagRequest>;

export const FlagOutcome = z.enum(['accepted', 'already_flagged']).meta({ id: 'FlagOutcome' });

export const FlagResult = z
  .object({
    target: z.string(),
    indicator: IndicatorRef,
    outcome: FlagOutcome,
    flagId: z.string(),
    status: Status.meta({ description: 'The indicator status after this flag.' }),
    orgCount: z.number().int(),
    service: ServiceLink.optional().meta({
      description: 'The service this flag joined: the one its indicator belongs to, one its evidence shares an identifier with, or a new one proposed.',
    }),
  })
  .meta({ id: 'FlagResult' });
export type FlagResult = z.infer<typeof FlagResult>;

export const FlagResponse = z.object({ results: z.array(FlagResult) }).meta({ id: 'FlagResponse' });
export type FlagResponse = z.infer<typeof FlagResponse>;

/** A flag as its own organization sees it ("my flags"). */
export const OwnFlag = z
  .object({
    id: z.string(),
    indicator: IndicatorRef,
    target: z.string(),
    reason: Reason,
    note: z.string().nullable(),
    live: z.boolean(),
    ended: z.enum(['withdrawn', 'expired', 'retired']).nullable().optional().meta({
      description: 'Why a flag no longer counts: withdrawn by its organization, expired with its listing, or retired by a reviewer. null while live.',
    }),
    createdAt: z.string(),
    status: LookupStatus,
    orgCount: z.number().int(),
  })
  .meta({ id: 'OwnFlag' });
export type OwnFlag = z.infer<typeof OwnFlag>;
export const OwnFlagsQuery = z.object({
  before: z.string().optional().meta({ description: 'Cursor from the previous page.' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const OwnFlagsPage = z.object({ flags: z.array(OwnFlag), next: z.string().nullable() }).meta({ id: 'OwnFlagsPage' });
export type OwnFlagsPage = z.infer<typeof OwnFlagsPage>;

export const WithdrawRequest = z
  .object({
    reason: z.string().trim().min(3).max(2000).refine(notEncodedData, NOT_ENCODED).meta({ description: 'Why the flag was a mistake; kept in the audit log.' }),
  })
  .strict()
  .meta({ id: 'WithdrawRequest', example: { reason: 'Flagged the wrong domain: the merchant is a different business.' } });

export const WithdrawResponse = z
  .object({ flagId: z.string(), indicator: IndicatorSummary.meta({ description: 'The indicator after the recount.' }) })
  .meta({ id: 'WithdrawResponse' });
export type WithdrawResponse = z.infer<typeof WithdrawResponse>;
