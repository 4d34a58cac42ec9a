import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import { ErrorBody } from '../../shared';
import { validationHook } from './errors';
import type { AppEnv } from './types';

/** A sub-app whose validation failures all come out in the one error shape. */
export const newApp = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

/** A required JSON body: required, so a wrong Content-Type is refused instead of skipping validation. */
export const jsonBody = <T extends ZodType>(schema: T, description?: string) => ({
  body: { required: true, description, content: { 'application/json': { schema } } },
});

export const json = <T extends ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const ERROR_DESCRIPTIONS = {
  400: 'Invalid request (code: invalid_request, invalid_json, invalid_indicator, …)',
  401: 'Missing, unknown or revoked API key (code: unauthorized)',
  403: 'The key\u2019s role may not do this (code: forbidden)',
  404: 'Not found (code: not_found)',
  409: 'Conflicts with the current state (code: conflict, invalid_transition)',
  410: 'The version is older than the change log keeps (code: resync_required)',
  413: 'Body over the size cap (code: payload_too_large)',
  415: 'Body is not application/json (code: unsupported_media_type)',
  422: 'Refused content or timing (code: image_data_refused, idempotency_key_reused, cooling_down)',
  429: 'Over a rate limit; see Retry-After (code: rate_limited)',
  503: 'The list moved while it was being read; retry shortly (code: list_busy)',
} as const;

export function errors<S extends keyof typeof ERROR_DESCRIPTIONS>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, json(ErrorBody, ERROR_DESCRIPTIONS[s])])) as Record<S, ReturnType<typeof json<typeof ErrorBody>>>;
}

export const bearer = [{ Bearer: [] }];
