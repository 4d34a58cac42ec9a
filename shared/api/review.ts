import { z } from 'zod';
import { IndicatorKind } from '../indicator/kinds';
import { IndicatorSummary, Target } from './common';

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
