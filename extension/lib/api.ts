import type { ZodType } from 'zod';
import { ErrorBody } from '../../shared';
import { settings } from './storage';

/** A failed API call, with whether trying again later could help (network down, 5xx, 429). */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly status = 0,
  ) {
    super(message);
  }
}

/** Calls the Flagline API with the stored key and parses the answer with the shared schema. */
export async function api<T>(
  schema: ZodType<T>,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  override?: { endpoint: string; apiKey: string },
): Promise<T> {
  const { endpoint, apiKey } = override ?? (await settings.getValue());
  if (!apiKey) throw new ApiFailure('not_configured', 'Add your Flagline API key in the options first.', false);
  let response: Response;
  try {
    response = await fetch(new URL(path, endpoint), {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiFailure('network', `Cannot reach ${endpoint}.`, true);
  }
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = ErrorBody.safeParse(payload);
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
    throw error.success
      ? new ApiFailure(error.data.error.code, error.data.error.message, retryable, response.status)
      : new ApiFailure('http_error', `The API answered ${response.status}.`, retryable, response.status);
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new ApiFailure('bad_response', 'The API answered in an unexpected shape; is the endpoint a Flagline API?', false);
  return parsed.data;
}

export const failureMessage = (error: unknown) => (error instanceof ApiFailure ? error.message : String(error));
