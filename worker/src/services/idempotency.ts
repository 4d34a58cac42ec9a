import { sha256 } from '@noble/hashes/sha2.js';
import { hex } from '@scure/base';
import { canonicalJson } from '../../../shared';
import { ApiError } from '../errors';
import type { IdempotencyClaim } from '../db/idempotency';

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
