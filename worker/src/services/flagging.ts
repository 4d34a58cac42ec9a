import type { FlagInput, FlagResult, Reason, Status } from '../../../shared';
import { auditStatement } from '../db/audit';
import { insertFlagStatement, readLiveFlags, type LiveFlag } from '../db/flags';
import { saveIndicatorStatement, keyOf, newIndicatorRow, readIndicators, type IndicatorRow } from '../db/indicators';
import { newId, now } from '../db/rows';
import type { Caller } from '../types';
import { commitWrite } from './commit';
import type { Transition } from './list-changes';
import { parseTargets } from './targets';

/** What consensus makes of an indicator's live flags. */
function tally(row: IndicatorRow, flags: LiveFlag[], threshold: number): IndicatorRow {
  const orgCount = new Set(flags.map((f) => f.orgId)).size;
  const reasons = [...new Set(flags.map((f) => f.reason))].sort() as Reason[];
  const reachesConsensus = (row.status === 'reported' || row.status === 'delisted') && orgCount >= threshold;
  // A flag on a delisted indicator reopens it as a fresh report.
  const status = reachesConsensus ? 'listed' : row.status === 'delisted' ? 'reported' : row.status;
  return { ...row, orgCount, reasons, status };
}

export interface FlagSubmission {
  inputs: FlagInput[];
  caller: Caller;
  threshold: number;
  /** Written in the same batch as the flags, so a retry finds either both or neither. */
  remember: (body: { results: FlagResult[] }) => D1PreparedStatement[];
}

export async function submitFlags(db: D1Database, { inputs, caller, threshold, remember }: FlagSubmission) {
  const indicators = parseTargets(inputs, (i) => (inputs.length === 1 ? 'target' : `flags.${i}.target`));
  return commitWrite(db, async () => {
    const existing = await readIndicators(db, indicators);
    const liveFlags = await readLiveFlags(db, [...existing.values()].map((row) => row.id));
    const at = now();
    const rows = new Map<string, { before: IndicatorRow | null; after: IndicatorRow; flags: LiveFlag[]; lastStatus: Status | null }>();
    const statements: D1PreparedStatement[] = [];
    const results: FlagResult[] = [];

    for (const [i, input] of inputs.entries()) {
      const indicator = indicators[i]!;
      const key = keyOf(indicator);
      let state = rows.get(key);
      if (!state) {
        const before = existing.get(key) ?? null;
        const row = before ?? newIndicatorRow(indicator);
        state = { before, after: row, flags: liveFlags.filter((f) => f.indicatorId === row.id), lastStatus: before?.status ?? null };
        rows.set(key, state);
      }
      const mine = state.flags.find((f) => f.orgId === caller.orgId);
      if (mine) {
        results.push({ target: input.target, indicator, outcome: 'already_flagged', flagId: mine.id, status: state.after.status, orgCount: state.after.orgCount });
        continue;
      }
      const flag = { id: newId('flag'), indicatorId: state.after.id, orgId: caller.orgId, reason: input.reason };
      state.flags.push(flag);
      const after = { ...tally(state.after, state.flags, threshold), updatedAt: at };
      statements.push(
        insertFlagStatement(db, { ...flag, keyId: caller.keyId, target: input.target, note: input.note ?? null, evidence: input.evidence ?? null, createdAt: at }),
        auditStatement(db, { action: 'flag.created', actorOrgId: caller.orgId, actorKeyId: caller.keyId, subjectType: 'flag', subjectId: flag.id, reason: input.reason, details: { indicator } }, at),
      );
      if (after.status !== state.lastStatus) {
        statements.push(
          auditStatement(db, {
            action: after.status === 'listed' ? 'indicator.listed_by_consensus' : `indicator.${after.status}`,
            actorOrgId: caller.orgId, actorKeyId: caller.keyId, subjectType: 'indicator', subjectId: after.id,
            fromStatus: state.lastStatus, toStatus: after.status, details: { indicator, orgCount: after.orgCount, threshold },
          }, at),
        );
        state.lastStatus = after.status;
      }
      state.after = after;
      results.push({ target: input.target, indicator, outcome: 'accepted', flagId: flag.id, status: after.status, orgCount: after.orgCount });
    }

    const transitions: Transition[] = [];
    for (const { before, after } of rows.values()) {
      if (before && after === before) continue;
      // The indicator row goes first so the flags' foreign key finds it.
      statements.unshift(saveIndicatorStatement(db, after));
      transitions.push({ before, after });
    }
    const body = { results };
    return { statements: [...statements, ...remember(body)], transitions, result: body };
  });
}
