import { now } from './rows';

/** A request's claim on its Idempotency-Key: the organization, the key, and the fingerprint of its body. */
export interface IdempotencyClaim {
  orgId: string;
  key: string;
  requestHash: string;
}

export interface StoredResponse {
  org_id: string;
  key: string;
  request_hash: string;
  status: number;
  body: string;
}

export const claimId = (claim: Pick<IdempotencyClaim, 'orgId' | 'key'>) => `${claim.orgId}\n${claim.key}`;

/** The stored responses for many claims, for a batch read (each found through the primary key). */
export const storedResponsesStatement = (db: D1Database, claims: IdempotencyClaim[]) =>
  db
    .prepare(
      `SELECT s.org_id, s.key, s.request_hash, s.status, s.body FROM json_each(?1) AS j
       JOIN idempotency AS s ON s.org_id = json_extract(j.value, '$.orgId') AND s.key = json_extract(j.value, '$.key')`,
    )
    .bind(JSON.stringify(claims.map(({ orgId, key }) => ({ orgId, key }))));

/** Recorded in the same batch as the write it answers, so a retry finds either both or neither. */
export const recordResponseStatement = (db: D1Database, claim: IdempotencyClaim, status: number, body: unknown) =>
  db
    .prepare('INSERT INTO idempotency (org_id, key, request_hash, status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)')
    .bind(claim.orgId, claim.key, claim.requestHash, status, JSON.stringify(body), now());

export const pruneIdempotencyStatement = (db: D1Database, olderThan: string) => db.prepare('DELETE FROM idempotency WHERE created_at < ?1').bind(olderThan);
