import { z } from 'zod';
import { Indicator } from '../indicator/kinds';

export const Reason = z.enum(['nudify_site', 'nudify_app', 'payment_front', 'affiliate', 'other']).meta({
  id: 'Reason',
  description: 'Why an indicator was flagged: a nudify site or app, a payment front or checkout serving one, an affiliate or promoter, or other.',
});
export type Reason = z.infer<typeof Reason>;

/** Where an indicator stands; `listed` and `disputed` indicators are on the list partners pull. */
export const Status = z.enum(['reported', 'listed', 'disputed', 'delisted']).meta({ id: 'Status' });
export type Status = z.infer<typeof Status>;

export const LookupStatus = z.enum(['unknown', ...Status.options]).meta({ id: 'LookupStatus' });
export type LookupStatus = z.infer<typeof LookupStatus>;

export const Role = z.enum(['admin', 'reviewer', 'analyst', 'reader']).meta({
  id: 'Role',
  description:
    "analyst: flag; reader: pull the list and look up; admin: its own organization's keys and audit rows (the operator's admins: every organization); " +
    'reviewer (operator only): confirm, reject, delist for everyone.',
});
export type Role = z.infer<typeof Role>;

/** Roles that decide for every member exist only in the operator organization. */
export const OPERATOR_ONLY_ROLES: readonly Role[] = ['reviewer'];

export const IndicatorRef = Indicator.meta({ id: 'Indicator' });

/**
 * A named schema or null. `.nullable()` on a schema with an id becomes `allOf: [$ref, {type: [object, null]}]`
 * in OpenAPI, which no null satisfies, so generated clients would never expect the null that comes back.
 */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

/** What partners may know about an indicator: counts and reasons, never which organizations. */
export const IndicatorSummary = z
  .object({
    kind: Indicator.shape.kind,
    value: Indicator.shape.value,
    status: Status,
    reasons: z.array(Reason),
    orgCount: z.number().int().nonnegative(),
    service: z.string().optional().meta({ description: 'The service (svc_…) the indicator belongs to, when it belongs to one: GET /v1/services/{id}.' }),
  })
  .meta({ id: 'IndicatorSummary' });
export type IndicatorSummary = z.infer<typeof IndicatorSummary>;

/** A raw input as pasted, or `kind:value`. */
export const Target = z.string().trim().min(1).max(2048).meta({
  description: 'What a person pasted or the page URL: a web address, app link or id, merchant id, wallet, handle, or kind:value.',
  example: 'https://checkout.nudify-demo.net/pay',
});
