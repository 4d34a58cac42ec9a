import { z } from 'zod';
import { ParseErrorCode } from '../indicator/errors';

export const ApiErrorCode = z
  .enum([
    'invalid_request',
    'invalid_json',
    'unsupported_media_type',
    'payload_too_large',
    'image_data_refused',
    'invalid_indicator',
    'idempotency_key_required',
    'idempotency_key_reused',
    'unauthorized',
    'forbidden',
    'org_suspended',
    'role_not_allowed',
    'operator_exists',
    'not_found',
    'conflict',
    'invalid_transition',
    'resync_required',
    'signing_unavailable',
    'method_not_allowed',
    'not_acceptable',
    'rate_limited',
    'cooling_down',
    'list_busy',
    'internal_error',
  ])
  .meta({ id: 'ApiErrorCode' });
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

export const FieldIssue = z.object({
  path: z.string().meta({ description: 'Dotted path of the field, e.g. flags.2.reason' }),
  message: z.string(),
  code: z.union([z.string(), ParseErrorCode]).optional(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** The one shape of every failure. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: ApiErrorCode,
      message: z.string(),
      requestId: z.string(),
      fields: z.array(FieldIssue).optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;
