import type { Context } from 'hono';
import { ApiError } from '../errors';
import { hashSecret } from '../db/keys';
import { now } from '../db/rows';
import type { AppEnv } from '../types';

export interface IdempotencyClaim {
  key: string;
  /** Statement that records the response, to run in the same batch as the write it answers. */
  record: (status: number, body: unknown) => D1PreparedStatement;
}

/**
 * Either the stored response of an earlier request with the same Idempotency-Key (a replay), or a claim
 * the handler records atomically with its write. A key reused for a different body is refused.
 */
export async function idempotency(c: Context<AppEnv>): Promise<Response | IdempotencyClaim> {
  const key = c.req.header('idempotency-key')?.trim();
  if (!key) throw new ApiError(400, 'idempotency_key_required', 'Send an Idempotency-Key header (a UUID per logical request) so retries never flag twice.');
  if (key.length > 255) throw new ApiError(400, 'invalid_request', 'Idempotency-Key is at most 255 characters.');
  const { orgId } = c.get('caller');
  const requestHash = await hashSecret(await c.req.text());
  const stored = await c.env.DB
    .prepare('SELECT request_hash, status, body FROM idempotency WHERE org_id = ?1 AND key = ?2')
    .bind(orgId, key)
    .first<{ request_hash: string; status: number; body: string }>();
  if (stored) {
    if (stored.request_hash !== requestHash) {
      throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was used for a different request; use a new key.');
    }
    return new Response(stored.body, {
      status: stored.status,
      headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' },
    });
  }
  return {
    key,
    record: (status, body) =>
      c.env.DB
        .prepare('INSERT INTO idempotency (org_id, key, request_hash, status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)')
        .bind(orgId, key, requestHash, status, JSON.stringify(body), now()),
  };
}
