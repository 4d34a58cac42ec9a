import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ApiErrorCode, ErrorBody, FieldIssue } from '../../shared';
import type { AppEnv } from './types';

/** Every failure the API reports on purpose; onError turns it into the one error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    message: string,
    readonly fields?: FieldIssue[],
    /** Seconds until the same request can succeed (a budget or cool-down): sent as Retry-After. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export const errorBody = (c: Context<AppEnv>, code: ApiErrorCode, message: string, fields?: FieldIssue[]): ErrorBody => ({
  error: { code, message, requestId: c.get('requestId') ?? 'unknown', ...(fields ? { fields } : {}) },
});

/** Field issues with their code: a rule's own code (encoded_data_refused, evidence_too_large) where it names one. */
export const zodFields = (error: ZodError): FieldIssue[] =>
  error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
    code: ((issue as { params?: { code?: string } }).params?.code ?? issue.code) as FieldIssue['code'],
  }));

/** Validation hook for every route: one 400 with the fields that failed. */
export function validationHook(result: { success: boolean; error?: ZodError }, c: Context<AppEnv>) {
  if (!result.success && result.error) {
    return c.json(errorBody(c, 'invalid_request', 'The request does not match the API contract; see fields.', zodFields(result.error)), 400);
  }
}

const HTTP_EXCEPTION_CODES: Partial<Record<number, ApiErrorCode>> = {
  400: 'invalid_json',
  401: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

export function onError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ApiError) {
    if (err.retryAfter !== undefined) c.header('Retry-After', String(err.retryAfter));
    return c.json(errorBody(c, err.code, err.message, err.fields), err.status);
  }
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's own validators throw these, e.g. for a body that is not JSON.
    const code = HTTP_EXCEPTION_CODES[err.status] ?? 'invalid_request';
    const message = code === 'invalid_json' ? 'The body is not valid JSON.' : err.message || code;
    return c.json(errorBody(c, code, message), err.status as ContentfulStatusCode);
  }
  console.error(JSON.stringify({ requestId: c.get('requestId'), error: String(err), stack: err.stack }));
  return c.json(errorBody(c, 'internal_error', 'Something went wrong on our side; the request id helps us find it.'), 500);
}
