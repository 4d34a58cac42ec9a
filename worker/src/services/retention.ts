import { pruneChanges } from '../db/changes';
import { backfillHashPrefixes } from '../db/indicators';
import { expireStale } from './expiry';

const DAY = 86_400_000;

/**
 * The daily job: expire stale URLs and hosts, prune the change log past its retention, idempotency
 * records after a week and old write_seq revs, and backfill hash prefixes.
 */
export async function pruneExpired(env: Env, at = Date.now()): Promise<{ changes: number; expired: number }> {
  const expired = await expireStale(env, at);
  const retentionDays = Math.max(1, Number(env.CHANGES_RETENTION_DAYS) || 90);
  const changes = await pruneChanges(env.DB, new Date(at - retentionDays * DAY).toISOString());
  await env.DB.batch([
    env.DB.prepare('DELETE FROM idempotency WHERE created_at < ?1').bind(new Date(at - 7 * DAY).toISOString()),
    env.DB.prepare('DELETE FROM write_seq WHERE rev < (SELECT MAX(rev) FROM write_seq)'),
  ]);
  await backfillHashPrefixes(env.DB);
  return { changes, expired };
}
