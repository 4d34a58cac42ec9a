import { z } from 'zod';
import { IndicatorKind } from '../indicator/kinds';
import { IndicatorSummary, orNull, Reason, Target } from './common';
import { Evidence, NOT_ENCODED, notEncodedData } from './evidence';
import { ServiceRef } from './service-ref';

/** The answer appellants read: plain words, no file. */
export const PublicReason = z
  .string()
  .trim()
  .min(3)
  .max(1000)
  .refine(notEncodedData, NOT_ENCODED)
  .meta({ id: 'PublicReason', description: 'Written for the appellant; shown to whoever holds a dispute token of this target.' });

export const ReviewAction = z.enum(['confirm', 'reject', 'delist', 'dispute']).meta({ id: 'ReviewAction' });
export type ReviewAction = z.infer<typeof ReviewAction>;

export const ReviewRequest = z
  .object({
    target: Target,
    kind: IndicatorKind.optional(),
    reason: z.string().trim().min(3).max(2000).meta({ description: 'Why; kept in the audit log.' }),
    publicReason: PublicReason.optional().meta({
      description:
        'What the appellants of this indicator read (POST /v1/disputes/status): a decision answers its open case. Without one they read a neutral answer. Never the audit reason.',
    }),
  })
  .strict()
  .meta({ id: 'ReviewRequest' });

/** A reviewer answers a case without changing the list (the target stays as it is: kept if listed, not on the list otherwise). */
export const AppealAnswerRequest = z
  .object({
    target: Target,
    kind: IndicatorKind.optional(),
    reason: z.string().trim().min(3).max(2000).refine(notEncodedData, NOT_ENCODED).meta({ description: 'Why; kept in the audit log.' }),
    publicReason: PublicReason,
  })
  .strict()
  .meta({ id: 'AppealAnswerRequest' });
export type AppealAnswerRequest = z.infer<typeof AppealAnswerRequest>;

export const AppealAnswerResponse = z
  .object({
    indicator: z.object({ kind: IndicatorKind, value: z.string() }),
    outcome: z.enum(['kept', 'removed']),
    answered: z.number().int().meta({ description: 'Open disputes the answer closed.' }),
  })
  .meta({ id: 'AppealAnswerResponse' });
export type AppealAnswerResponse = z.infer<typeof AppealAnswerResponse>;

/** One live flag's evidence as the operator's reviewers read it: what the page showed, never which organization. */
export const FlagEvidence = z
  .object({
    reason: Reason,
    at: z.string(),
    evidence: Evidence.nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'FlagEvidence' });
export type FlagEvidence = z.infer<typeof FlagEvidence>;

/** One open appeal or member dispute, as the operator's reviewers read it. */
export const AppealSummary = z
  .object({
    id: z.string(),
    from: z.enum(['public', 'member']).meta({ description: 'An anonymous appellant, or a member organization (never which).' }),
    contact: z.string().nullable().meta({ description: "The appellant's contact; null for a member's dispute." }),
    statement: z.string(),
    createdAt: z.string(),
    deadline: z.string(),
  })
  .meta({ id: 'AppealSummary' });
export type AppealSummary = z.infer<typeof AppealSummary>;

export const ReviewResponse = z.object({ indicator: IndicatorSummary, from: z.string(), version: z.number().int().nullable() }).meta({ id: 'ReviewResponse' });
export type ReviewResponse = z.infer<typeof ReviewResponse>;

/** Why an indicator waits for a reviewer: an open dispute, a report below the threshold, or a listing about to expire. */
export const QueueReason = z.enum(['dispute', 'report', 'expiry']).meta({ id: 'QueueReason' });
export type QueueReason = z.infer<typeof QueueReason>;

export const QueueItem = z
  .object({
    indicator: IndicatorSummary,
    why: QueueReason,
    dueAt: z.string().nullable().meta({ description: 'The dispute deadline, or when the listing expires; null for a report.' }),
    overdue: z.boolean(),
    openDisputes: z.number().int(),
    firstSeen: z.string(),
    lastSeen: z.string().meta({ description: 'The last live flag or change.' }),
    signals: z.array(z.object({ type: z.string(), count: z.number().int() })).meta({ description: "Signal types in the live flags' evidence." }),
    service: orNull(ServiceRef),
    mirrorOf: orNull(ServiceRef).optional().meta({
      description:
        'A report tied by a corroborated identifier to a service with a member on the list: a mirror of that listed service. Such reports come right after open cases.',
    }),
    evidence: z
      .array(FlagEvidence)
      .optional()
      .meta({ description: 'The live flags’ evidence itself, newest first (at most 10): signal values, page title and URL, redirect chain, note.' }),
    appeals: z
      .array(AppealSummary)
      .optional()
      .meta({ description: 'The newest open appeals and member disputes of this indicator (at most 10; openDisputes counts them all).' }),
  })
  .meta({ id: 'QueueItem' });
export type QueueItem = z.infer<typeof QueueItem>;

export const ReviewQueue = z
  .object({
    items: z.array(QueueItem).meta({
      description:
        'Disputes by deadline (overdue first), then mirrors of listed services (mirrorOf), then listings about to expire, then reports, most corroborated first.',
    }),
    threshold: z.number().int().meta({ description: 'Member organizations needed to list without a reviewer.' }),
    next: z.number().int().nullable().optional().meta({ description: 'The offset of the next page, or null at the end.' }),
  })
  .meta({ id: 'ReviewQueue' });
export type ReviewQueue = z.infer<typeof ReviewQueue>;

export const ReviewQueueQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  offset: z.coerce.number().int().min(0).max(10_000).default(0).meta({ description: 'Items to skip: the `next` of the previous page.' }),
});
