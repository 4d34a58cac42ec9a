import { auditStatement } from '../db/audit';
import { retireFlagsStatement } from '../db/flags';
import { saveIndicatorStatement, toIndicatorRow, type IndicatorDbRow, type IndicatorRow } from '../db/indicators';
import { now } from '../db/rows';
import { commitWrite } from './commit';

/** Kinds that name one page or one mirror host: they go stale, unlike a brand's domain or app. */
const SHORT_LIVED = ['url', 'host'] as const;
const PAGE = 200;

/**
 * Listed URLs and hosts that nobody flagged or reviewed for EXPIRY_DAYS expire: delisted with an audit
 * event, flags retired, and a tombstone in the change log so every partner drops them too.
 */
export async function expireStale(env: Env, at = Date.now()): Promise<number> {
  const days = Math.max(1, Number(env.EXPIRY_DAYS) || 30);
  const cutoff = new Date(at - days * 86_400_000).toISOString();
  let expired = 0;
  for (;;) {
    const count = await commitWrite(env.DB, async () => {
      const { results } = await env.DB
        .prepare(
          `SELECT * FROM indicators WHERE status IN ('listed', 'disputed') AND kind IN (SELECT value FROM json_each(?1))
           AND updated_at < ?2 LIMIT ${PAGE}`,
        )
        .bind(JSON.stringify(SHORT_LIVED), cutoff)
        .all<IndicatorDbRow>();
      const stamp = now();
      const transitions = results.map(toIndicatorRow).map((before): { before: IndicatorRow; after: IndicatorRow } => ({
        before,
        after: { ...before, status: 'delisted', orgCount: 0, reasons: [], updatedAt: stamp },
      }));
      const statements = transitions.flatMap(({ before, after }) => [
        saveIndicatorStatement(env.DB, after),
        retireFlagsStatement(env.DB, after.id),
        auditStatement(env.DB, {
          action: 'indicator.expired', actorOrgId: null, actorKeyId: null, subjectType: 'indicator', subjectId: after.id,
          fromStatus: before.status, toStatus: 'delisted', reason: `not flagged or reviewed for ${days} days`,
          details: { indicator: { kind: after.kind, value: after.value } },
        }, stamp),
      ]);
      return { statements, transitions, result: transitions.length };
    });
    expired += count;
    if (count < PAGE) return expired;
  }
}
