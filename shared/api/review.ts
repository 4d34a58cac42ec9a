import { z } from 'zod';
import { IndicatorKind } from '../indicator/kinds';
import { IndicatorSummary, orNull, Target } from './common';
import { ServiceRef } from './service-ref';

export const ReviewAction = z.enum(['confirm', 'reject', 'delist', 'dispute']).meta({ id: 'ReviewAction' });
export type ReviewAction = z.infer<typeof ReviewAction>;

export const ReviewRequest = z
  .object({
    target: Target,
    kind: IndicatorKind.optional(),
    reason: z.string().trim().min(3).max(2000).meta({ description: 'Why; kept in the audit log.' }),
  })
  .strict()
  .meta({ id: 'ReviewRequest' });

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
  })
  .meta({ id: 'QueueItem' });
export type QueueItem = z.infer<typeof QueueItem>;

export const ReviewQueue = z
  .object({
    items: z
      .array(QueueItem)
      .meta({ description: 'Disputes by deadline (overdue first), then listings about to expire, then reports, most corroborated first.' }),
    threshold: z.number().int().meta({ description: 'Member organizations needed to list without a reviewer.' }),
  })
  .meta({ id: 'ReviewQueue' });
export type ReviewQueue = z.infer<typeof ReviewQueue>;

export const ReviewQueueQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(100) });
