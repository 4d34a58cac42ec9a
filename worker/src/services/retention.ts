import { NEUTRAL_ANSWERS } from '../../../shared';
import { backfillStixIds, pruneChanges } from '../db/changes';
import { closeOverdueOffListStatement } from '../db/disputes';
import { pruneIdempotencyStatement } from '../db/idempotency';
import { pruneSnapshotDigestsStatement } from '../db/snapshots';
import { backfillHashPrefixes } from '../db/indicators';
import { config, lifetimes } from '../config';
import { writeList } from './write';

const DAY = 86_400_000;

/** Expires stale listings of every kind with a lifetime, through the list's writer, a page per commit. */
export async function expireStale(env: Env, at = Date.now()): Promise<number> {
  let expired = 0;
  for (const [kind, days] of lifetimes(config(env))) {
    const cutoff = new Date(at - days * DAY).toISOString();
    for (;;) {
      const { body } = await writeList(env, { type: 'expire', kinds: [kind], cutoff, days });
      const count = body.expired;
      expired += count;
      if (count === 0) break;
    }
  }
  return expired;
}

/**
 * The daily job: answer overdue appeals of targets off the list, expire stale listings (URLs and hosts by default; EXPIRY_DAYS_BY_KIND), prune the change log past its retention and idempotency
 * records after a week, snapshot digests of past versions, and backfill hash prefixes and STIX ids of rows written before they existed.
 */
export async function pruneExpired(env: Env, at = Date.now()): Promise<{ changes: number; expired: number }> {
  const expired = await expireStale(env, at);
  const changes = await pruneChanges(env.DB, new Date(at - config(env).CHANGES_RETENTION_DAYS * DAY).toISOString());
  await pruneIdempotencyStatement(env.DB, new Date(at - 7 * DAY).toISOString()).run();
  await pruneSnapshotDigestsStatement(env.DB).run();
  // Appeals of targets that are not on the list and not waiting as a report get the neutral answer at their deadline.
  await closeOverdueOffListStatement(env.DB, new Date(at).toISOString(), NEUTRAL_ANSWERS.removed, new Date(at).toISOString()).run();
  await backfillHashPrefixes(env.DB);
  await backfillStixIds(env.DB);
  return { changes, expired };
}
