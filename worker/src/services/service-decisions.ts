import {
  expressionOf,
  MAX_SERVICE_ENTRIES,
  SERVICE_DECISIONS,
  serviceKeysOf,
  type IndicatorSummary,
  type ReviewResponse,
  type ServiceChangeResponse,
  type ServiceReviewResponse,
} from '../../../shared';
import { auditStatement } from '../db/audit';
import { toSummary } from '../db/indicators';
import { newId } from '../db/rows';
import {
  mergeServicesStatement,
  moveKeysStatements,
  readService,
  readServiceMembers,
  readServices,
  renameServiceStatement,
  toServiceRef,
  type ServiceRow,
} from '../db/services';
import { ApiError } from '../errors';
import { ListState } from './list-state';
import { planReview } from './review';
import { membersSeen } from './service-view';
import type { WriteCommand, WriteOutcome } from './write-commands';

type ServiceCommand = Extract<WriteCommand, { type: 'service' }>;

/** A service that can be changed: it exists and was not folded into another. */
async function liveService(db: D1Database, id: string): Promise<ServiceRow> {
  const service = await readService(db, id);
  if (!service) throw new ApiError(404, 'not_found', `No service ${id}.`);
  if (service.id !== id) throw new ApiError(409, 'invalid_transition', `${id} was merged into ${service.id}; act on that service.`);
  return service;
}

/** The indicators of some services, loaded for the writer; refused when one decision would move too many. */
async function loadMembers(db: D1Database, serviceIds: string[]) {
  const members = await readServiceMembers(db, serviceIds, MAX_SERVICE_ENTRIES + 1);
  if (members.length > MAX_SERVICE_ENTRIES) {
    throw new ApiError(409, 'conflict', `More than ${MAX_SERVICE_ENTRIES} indicators would move in one decision; split the service first.`);
  }
  return { members, state: await ListState.load(db, members) };
}

/**
 * Renames, merges, splits or decides on a whole service, inside the list's writer: members read and moved
 * in one batch, each on-list member's new service a change partners see in the delta feed.
 */
export async function changeService(db: D1Database, { caller, serviceId, change }: ServiceCommand): Promise<WriteOutcome<'service'>> {
  const service = await liveService(db, serviceId);
  const audit = (state: ListState | null, action: string, details: Record<string, unknown>) =>
    auditStatement(
      db,
      {
        action,
        actorOrgId: caller.orgId,
        actorKeyId: caller.keyId,
        subjectType: 'service',
        subjectId: service.id,
        reason: change.reason,
        details,
      },
      state?.at,
    );
  const done = (body: ServiceChangeResponse | ServiceReviewResponse): WriteOutcome<'service'> => ({ ok: true, status: 200, body });

  if (change.op === 'rename') {
    await db.batch([renameServiceStatement(db, service.id, change.name), audit(null, 'service.renamed', { from: service.name, to: change.name })]);
    return done({ service: { id: service.id, name: change.name, state: 'named' }, moved: 0 });
  }

  if (change.op === 'merge') {
    const from = [...new Set(change.from)];
    if (from.includes(service.id)) throw new ApiError(409, 'invalid_transition', 'A service cannot be merged into itself.');
    const found = await readServices(db, from);
    const missing = from.find((id) => !found.has(id) || found.get(id)!.merged_into);
    if (missing)
      throw new ApiError(found.has(missing) ? 409 : 404, found.has(missing) ? 'invalid_transition' : 'not_found', `${missing} is not a live service.`);
    const { members, state } = await loadMembers(db, from);
    for (const member of members) {
      const row = state.row(member)!;
      state.save(row, { ...row, serviceId: service.id });
    }
    state.push(
      ...moveKeysStatements(db, service.id, { services: from }),
      mergeServicesStatement(db, from, service.id),
      audit(state, 'service.merged', { from: from.map((id) => ({ id, name: found.get(id)!.name })), moved: members.length }),
    );
    await state.commit();
    return done({ service: toServiceRef(service), moved: members.length });
  }

  if (change.op === 'split') {
    const state = await ListState.load(db, change.indicators);
    const stray = change.indicators.find((indicator) => state.row(indicator)?.serviceId !== service.id);
    if (stray) throw new ApiError(422, 'invalid_request', `${expressionOf(stray)} is not an indicator of ${service.id}.`);
    const split = { id: newId('svc'), name: change.name, state: 'named' as const, merged_into: null, created_at: state.at, updated_at: state.at };
    state.addService(split);
    for (const indicator of change.indicators) {
      const row = state.row(indicator)!;
      state.save(row, { ...row, serviceId: split.id });
    }
    const keys = change.indicators.flatMap((indicator) => serviceKeysOf(indicator));
    state.push(
      ...moveKeysStatements(db, split.id, { keys, of: service.id }),
      audit(state, 'service.split', { to: { id: split.id, name: split.name }, indicators: change.indicators.map(expressionOf) }),
    );
    await state.commit();
    return done({ service: toServiceRef(split), moved: change.indicators.length });
  }

  const { members, state } = await loadMembers(db, [service.id]);
  // A decision covers exactly what its maker saw: members that joined, left or moved since refuse it.
  if (membersSeen(members.map((m) => state.row(m)!)) !== change.seen) {
    throw new ApiError(
      409,
      'conflict',
      `${service.name}'s members changed since they were shown to you (an indicator joined, left or changed status); open the service again and decide on what it shows now. Nothing moved.`,
    );
  }
  const decided: ReviewResponse[] = [];
  const skipped: IndicatorSummary[] = [];
  for (const member of members) {
    const row = state.row(member)!;
    const action = SERVICE_DECISIONS[change.action][row.status];
    if (!action) {
      skipped.push(toSummary(row));
      continue;
    }
    const outcome = planReview(state, { type: 'review', caller, action, indicator: member, reason: change.reason });
    if (outcome.ok) decided.push(outcome.body);
  }
  state.push(audit(state, `service.${change.action}`, { decided: decided.length, skipped: skipped.length }));
  await state.commit();
  return done({ service: toServiceRef(service), decided, skipped });
}
