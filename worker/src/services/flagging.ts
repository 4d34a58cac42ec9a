import {
  CONSENSUS_STATUS,
  expressionOf,
  FLAG_BUDGET_WINDOW_MINUTES,
  isOnList,
  REFLAG_COOLDOWN_HOURS,
  reopenedBy,
  statusAfterCount,
  tally,
  type FieldIssue,
  type FlagResult,
  type Status,
} from '../../../shared';
import { auditStatement } from '../db/audit';
import { insertFlagStatement, type LiveFlag } from '../db/flags';
import { recordResponseStatement } from '../db/idempotency';
import { newIndicatorRow, type IndicatorRow } from '../db/indicators';
import { newId } from '../db/rows';
import { ApiError } from '../errors';
import type { Caller } from '../types';
import type { ListState } from './list-state';
import { linkService } from './service-linking';
import type { WriteCommand, WriteOutcome } from './write-commands';

interface Working {
  before: IndicatorRow | null;
  row: IndicatorRow;
  flags: LiveFlag[];
  /** The status last written to the audit log, to record each move once. */
  lastStatus: Status | null;
}

/**
 * Plans one flag request against the batch's state: one live flag per organization and indicator, the
 * count and status from the list rules, audit rows, and the response stored under its Idempotency-Key in
 * the same batch. A replay answers the stored response; a key reused for another body is refused.
 */
export function planFlags(
  state: ListState,
  { caller, inputs, claim }: Extract<WriteCommand, { type: 'flag' }>,
  { threshold, flagBudget }: { threshold: number; flagBudget: number },
): WriteOutcome<'flag'> {
  const stored = state.storedResponse(claim);
  if (stored) {
    if (stored.request_hash !== claim.requestHash) {
      throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was used for a different request; use a new key.');
    }
    return { ok: true, status: stored.status as 200 | 201, body: JSON.parse(stored.body), replayed: true };
  }

  refuseOverBudget(state, caller, inputs.length, flagBudget);
  refuseWithinCooldown(state, caller, inputs);

  const working = new Map<string, Working>();
  const pending = new Set(inputs.map((input) => expressionOf(input.indicator)));
  const flagStatements: D1PreparedStatement[] = [];
  const results: FlagResult[] = [];
  for (const input of inputs) {
    const key = expressionOf(input.indicator);
    let work = working.get(key);
    if (!work) {
      const before = state.row(input.indicator);
      const row = before ?? newIndicatorRow(input.indicator);
      work = { before, row, flags: [...state.flagsOf(row.id)], lastStatus: before?.status ?? null };
      working.set(key, work);
    }
    const mine = work.flags.find((f) => f.orgId === caller.orgId);
    if (mine) {
      const service = work.row.serviceId ? state.service(work.row.serviceId) : undefined;
      results.push({
        target: input.target,
        indicator: input.indicator,
        outcome: 'already_flagged',
        flagId: mine.id,
        status: work.row.status,
        orgCount: work.row.orgCount,
        ...(service ? { service: { id: service.id, name: service.name, match: 'member' as const, via: [] } } : {}),
      });
      continue;
    }
    const flag: LiveFlag = {
      id: newId('flag'),
      indicatorId: work.row.id,
      orgId: caller.orgId,
      reason: input.reason,
      operator: caller.operator,
      suspended: false,
    };
    work.flags.push(flag);
    const counted = tally(work.flags);
    const status = statusAfterCount(reopenedBy(work.row.status), work.row.confirmed, counted.orgCount, threshold);
    const linked = linkService(
      state,
      { ...work.row, ...counted, status, updatedAt: state.at },
      isOnList(work.before?.status),
      input.serviceKeys,
      caller,
      pending,
    );
    const after: IndicatorRow = linked.row;
    flagStatements.push(
      insertFlagStatement(state.db, {
        ...flag,
        keyId: caller.keyId,
        target: input.target,
        note: input.note ?? null,
        evidence: input.evidence ?? null,
        createdAt: state.at,
      }),
      auditStatement(
        state.db,
        {
          action: 'flag.created',
          actorOrgId: caller.orgId,
          actorKeyId: caller.keyId,
          subjectType: 'flag',
          subjectId: flag.id,
          orgId: caller.orgId,
          reason: input.reason,
          details: { indicator: input.indicator },
        },
        state.at,
      ),
    );
    if (status !== work.lastStatus) {
      flagStatements.push(
        auditStatement(
          state.db,
          {
            action: status === CONSENSUS_STATUS ? 'indicator.listed_by_consensus' : `indicator.${status}`,
            actorOrgId: caller.orgId,
            actorKeyId: caller.keyId,
            subjectType: 'indicator',
            subjectId: after.id,
            fromStatus: work.lastStatus,
            toStatus: status,
            details: { indicator: input.indicator, orgCount: after.orgCount, threshold },
          },
          state.at,
        ),
      );
      work.lastStatus = status;
    }
    work.row = after;
    results.push({
      target: input.target,
      indicator: input.indicator,
      outcome: 'accepted',
      flagId: flag.id,
      status,
      orgCount: after.orgCount,
      ...(linked.link ? { service: linked.link } : {}),
    });
  }

  if (!caller.operator) state.spend(caller.orgId, results.filter((r) => r.outcome === 'accepted').length);
  // Indicator rows first, so the flags' foreign key finds them.
  for (const { before, row, flags } of working.values()) {
    if (row === before) continue;
    state.save(before, row);
    state.setFlags(row.id, flags);
  }
  state.push(...flagStatements);
  const body = { results };
  const status = results.some((r) => r.outcome === 'accepted') ? 201 : 200;
  state.push(recordResponseStatement(state.db, claim, status, body));
  state.remember(claim, status, body);
  return { ok: true, status, body };
}

/** A member organization's flags share one budget across its keys, each item of a batch counted (the operator's reviewers have none). */
function refuseOverBudget(state: ListState, caller: Caller, items: number, budget: number): void {
  if (caller.operator || state.flagsSpent(caller.orgId) + items <= budget) return;
  throw new ApiError(
    429,
    'rate_limited',
    `Your organization has made ${state.flagsSpent(caller.orgId)} flags in the last ${FLAG_BUDGET_WINDOW_MINUTES} minutes over all its keys; ` +
      `${items} more would pass its budget of ${budget}. Nothing was written; send fewer, or later.`,
    undefined,
    FLAG_BUDGET_WINDOW_MINUTES * 60,
  );
}

/** An organization that withdrew its flag of an indicator flags it again only after the cool-down: it cannot flap a listing. */
function refuseWithinCooldown(state: ListState, caller: Caller, inputs: Extract<WriteCommand, { type: 'flag' }>['inputs']): void {
  const waits: { field: FieldIssue; until: number }[] = [];
  for (const [i, input] of inputs.entries()) {
    const row = state.row(input.indicator);
    const withdrawnAt = row && state.withdrawnAt(caller.orgId, row.id);
    if (!withdrawnAt) continue;
    const until = Date.parse(withdrawnAt) + REFLAG_COOLDOWN_HOURS * 3_600_000;
    waits.push({
      until,
      field: {
        path: inputs.length === 1 ? 'target' : `flags.${i}.target`,
        message: `Your organization withdrew its flag of ${expressionOf(input.indicator)} at ${withdrawnAt}; it can flag it again from ${new Date(until).toISOString()}.`,
        code: 'cooling_down',
      },
    });
  }
  if (!waits.length) return;
  throw new ApiError(
    422,
    'cooling_down',
    `A withdrawn flag can be made again ${REFLAG_COOLDOWN_HOURS} hours after its withdrawal, so one organization cannot flap a listing faster than partners poll; see fields. Nothing was written.`,
    waits.map((w) => w.field),
    Math.ceil((Math.max(...waits.map((w) => w.until)) - Date.now()) / 1000),
  );
}
