import { sha256 } from '@noble/hashes/sha2.js';
import { hex } from '@scure/base';
import { ApiError } from '../errors';
import type { IdempotencyClaim } from '../db/idempotency';

/** JSON with object keys sorted at every depth and no whitespace: the same request always reads the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The claim a write makes on its Idempotency-Key. The fingerprint is taken over the canonical form of the
 * parsed body, so a client replaying the request from storage (keys in another order, other whitespace)
 * is recognised as the same request.
 */
export function idempotencyClaim(orgId: string, header: string | undefined, body: unknown): IdempotencyClaim {
  const key = header?.trim();
  if (!key) throw new ApiError(400, 'idempotency_key_required', 'Send an Idempotency-Key header (a UUID per logical request) so retries never flag twice.');
  if (key.length > 255) throw new ApiError(400, 'invalid_request', 'Idempotency-Key is at most 255 characters.');
  return { orgId, key, requestHash: hex.encode(sha256(new TextEncoder().encode(canonicalJson(body)))) };
}
