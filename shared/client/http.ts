import type { ZodType } from 'zod';
import { ErrorBody } from '../api/errors';

/*
 * The one HTTP client of the extension and the partner CLI, with the one retry rule: timeouts (408),
 * conflicts (409), rate limits (429), server errors (5xx) and network failures are worth trying again,
 * with backoff and never sooner than Retry-After says; the same request is sent again (so the same
 * Idempotency-Key). Everything else is an answer.
 */

export interface Connection {
  endpoint: string;
  apiKey: string;
}

/** A failed call: its error code, whether trying again could help, and how long the server asked to wait. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly status = 0,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export const isRetryableStatus = (status: number): boolean => status === 408 || status === 409 || status === 429 || status >= 500;

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (header.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Exponential backoff with jitter (±25%), capped, and never sooner than the server asked. */
export function backoffMs(attempt: number, { baseMs = 1000, maxMs = 15 * 60_000, retryAfterMs = null as number | null } = {}): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** attempt) * (0.75 + Math.random() / 2);
  return Math.max(exponential, retryAfterMs ?? 0);
}

export interface ApiRequest {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** How long to wait for the answer's headers (default 30 s): a request may be slow, never stuck forever. */
  timeoutMs?: number;
}

export const HEADERS_TIMEOUT_MS = 30_000;

export interface RawAnswer {
  status: number;
  body: unknown;
  retryAfterMs: number | null;
}

/** One attempt. A network failure is an ApiFailure with code `network` (retryable); any HTTP status is an answer. */
export async function send(conn: Connection, path: string, init: ApiRequest = {}): Promise<RawAnswer> {
  // A connection that never answers (an https upgrade to a host that does not speak it, a black-holed port)
  // would otherwise leave the caller waiting forever; the body of a large answer may take longer.
  const stuck = new AbortController();
  const timer = setTimeout(() => stuck.abort(), init.timeoutMs ?? HEADERS_TIMEOUT_MS);
  try {
    const response = await fetch(new URL(path, conn.endpoint), {
      signal: stuck.signal,
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        authorization: `Bearer ${conn.apiKey}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    clearTimeout(timer);
    // A body cut off on the way is a lost answer, not a refusal: the request may have been done, so retry it.
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: the status speaks */
    }
    return { status: response.status, body, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
  } catch {
    throw new ApiFailure(
      'network',
      stuck.signal.aborted
        ? `${conn.endpoint} did not answer within ${+((init.timeoutMs ?? HEADERS_TIMEOUT_MS) / 1000).toFixed(1)} s.`
        : `Cannot reach ${conn.endpoint}, or its answer was cut off.`,
      true,
    );
  } finally {
    clearTimeout(timer);
  }
}

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  baseMs?: number;
  maxMs?: number;
  onRetry?: (info: { attempt: number; waitMs: number; reason: string }) => void;
  sleep?: (ms: number) => Promise<void>;
}
export const NO_RETRIES: RetryPolicy = { retries: 0 };

/** `send` under the retry rule: every attempt, the first included, is retried as the policy says. */
export async function sendWithRetries(conn: Connection, path: string, init: ApiRequest, policy: RetryPolicy): Promise<RawAnswer> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    let answer: RawAnswer | null = null;
    let failure: ApiFailure | null = null;
    try {
      answer = await send(conn, path, init);
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      failure = error;
    }
    const retry = failure !== null || isRetryableStatus(answer!.status);
    if (!retry || attempt >= policy.retries) {
      if (failure) throw failure;
      return answer!;
    }
    const waitMs = backoffMs(attempt, { baseMs: policy.baseMs, maxMs: policy.maxMs, retryAfterMs: answer?.retryAfterMs ?? null });
    policy.onRetry?.({ attempt: attempt + 1, waitMs, reason: failure?.message ?? `${path} answered ${answer!.status}` });
    await sleep(waitMs);
  }
}

/** A 2xx body parsed with the contract's schema, or the API's error as an ApiFailure. */
export function parseAnswer<T>(schema: ZodType<T>, path: string, answer: RawAnswer): T {
  if (answer.status >= 400) {
    const error = ErrorBody.safeParse(answer.body);
    const retryable = isRetryableStatus(answer.status);
    throw error.success
      ? new ApiFailure(error.data.error.code, error.data.error.message, retryable, answer.status, answer.retryAfterMs)
      : new ApiFailure('http_error', `${path} answered ${answer.status}.`, retryable, answer.status, answer.retryAfterMs);
  }
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) throw new ApiFailure('bad_response', 'The API answered in an unexpected shape; is the endpoint a Flagline API?', false, answer.status);
  return parsed.data;
}

/** Calls the API and parses the answer with the shared schema, retrying as the policy says. */
export async function callApi<T>(conn: Connection, schema: ZodType<T>, path: string, init: ApiRequest = {}, policy: RetryPolicy = NO_RETRIES): Promise<T> {
  return parseAnswer(schema, path, await sendWithRetries(conn, path, init, policy));
}

export const failureMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** An address on this computer: the only place an API key may travel over plain http. */
const isLoopbackHost = (host: string) => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Whether an API key may be sent to this endpoint: https anywhere, plain http only to this computer. */
export const keySafeEndpoint = (url: URL): boolean => url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
