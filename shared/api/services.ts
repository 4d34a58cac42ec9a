import { z } from 'zod';
import { IndicatorSummary, Target } from './common';
import { ReviewResponse } from './review';
import { ServiceId, ServiceName, ServiceRef, ServiceState } from './service-ref';

export * from './service-ref';

export const MAX_SERVICE_ENTRIES = 5000;

/** A member as an operator reviewer sees it before deciding for the whole service. */
export const ServiceMember = IndicatorSummary.extend({
  signals: z.array(z.object({ type: z.string(), count: z.number().int() })).meta({ description: "Signal types in its live flags' evidence." }),
}).meta({ id: 'ServiceMember' });
export type ServiceMember = z.infer<typeof ServiceMember>;

const Seen = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'The `seen` value of GET /v1/services/{id}.')
  .meta({ description: 'The checksum of every member and its status, as GET /v1/services/{id} showed them to the reviewer.' });

export const ServiceResponse = z
  .object({
    id: ServiceId.meta({ description: 'The service asked for, or the one it was merged into.' }),
    name: z.string(),
    state: ServiceState,
    createdAt: z.string(),
    updatedAt: z.string(),
    entries: z
      .array(IndicatorSummary)
      .meta({ description: `Its indicators on the list (listed or disputed), in kind and value order; at most ${MAX_SERVICE_ENTRIES}.` }),
    truncated: z.boolean(),
    members: z.array(ServiceMember).optional().meta({
      description:
        'Operator reviewers only: every member, reported ones too, with its organizations counted and its evidence summarized: what a whole-service decision would move.',
    }),
    seen: Seen.optional().meta({
      description: 'Operator reviewers only: send it back with a whole-service decision, which is refused (409) if the members changed since.',
    }),
  })
  .meta({ id: 'ServiceResponse' });
export type ServiceResponse = z.infer<typeof ServiceResponse>;

const auditReason = z.string().trim().min(3).max(2000).meta({ description: 'Why; kept in the audit log.' });

export const RenameServiceRequest = z.object({ name: ServiceName, reason: auditReason }).strict().meta({ id: 'RenameServiceRequest' });
export const MergeServicesRequest = z
  .object({ from: z.array(ServiceId).min(1).max(50).meta({ description: 'Services to fold into this one.' }), reason: auditReason })
  .strict()
  .meta({ id: 'MergeServicesRequest' });
export const SplitServiceRequest = z
  .object({
    indicators: z.array(Target).min(1).max(MAX_SERVICE_ENTRIES).meta({ description: 'Indicators of this service (kind:value) that belong to another brand.' }),
    name: ServiceName.meta({ description: 'Name of the new service they move to.' }),
    reason: auditReason,
  })
  .strict()
  .meta({ id: 'SplitServiceRequest' });
export const ServiceReviewRequest = z
  .object({ action: z.enum(['confirm', 'delist']), reason: auditReason, seen: Seen })
  .strict()
  .meta({ id: 'ServiceReviewRequest', description: 'One decision for every indicator of the service that the move applies to.' });

export const ServiceReviewResponse = z
  .object({
    service: ServiceRef,
    decided: z.array(ReviewResponse).meta({ description: 'Indicators the decision moved.' }),
    skipped: z.array(IndicatorSummary).meta({ description: 'Indicators the decision does not apply to (already delisted, or reported for a delisting).' }),
  })
  .meta({ id: 'ServiceReviewResponse' });
export type ServiceReviewResponse = z.infer<typeof ServiceReviewResponse>;

export const ServiceChangeResponse = z
  .object({ service: ServiceRef, moved: z.number().int().meta({ description: 'Indicators that changed service.' }) })
  .meta({ id: 'ServiceChangeResponse' });
export type ServiceChangeResponse = z.infer<typeof ServiceChangeResponse>;
