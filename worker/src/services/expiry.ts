import { EXPIRY } from '../../../shared';
import { auditStatement } from '../db/audit';
import { expireFlagsStatement } from '../db/flags';
import { readStaleListed } from '../db/indicators';
import { ListState } from './list-state';
import type { WriteCommand, WriteOutcome } from './write-commands';

const PAGE = 200;

/**
 * One page of expiry, inside the list's writer: listings of the given kinds that nobody flagged or reviewed
 * since the cutoff are delisted with an audit row, their flags retired, and a tombstone in the change
 * log so every partner drops them too. Answers how many expired; the caller asks again until none.
 */
export async function expirePage(db: D1Database, { kinds, cutoff, days }: Extract<WriteCommand, { type: 'expire' }>): Promise<WriteOutcome<'expire'>> {
  const stale = await readStaleListed(db, kinds, cutoff, PAGE);
  if (stale.length === 0) return { ok: true, status: 200, body: { expired: 0 } };
  const state = await ListState.load(db, stale);
  for (const indicator of stale) {
    const before = state.row(indicator);
    if (!before) continue;
    state.save(before, { ...before, status: EXPIRY.to, confirmed: false, orgCount: 0, reasons: [], updatedAt: state.at });
    state.setFlags(before.id, []);
    state.push(
      expireFlagsStatement(db, before.id, state.at),
      auditStatement(
        db,
        {
          action: 'indicator.expired',
          actorOrgId: null,
          actorKeyId: null,
          subjectType: 'indicator',
          subjectId: before.id,
          fromStatus: before.status,
          toStatus: EXPIRY.to,
          reason: `not flagged or reviewed for ${days} days`,
          details: { indicator: { kind: before.kind, value: before.value } },
        },
        state.at,
      ),
    );
  }
  await state.commit();
  return { ok: true, status: 200, body: { expired: stale.length } };
}
