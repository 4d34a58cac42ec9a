import { auditStatement } from '../db/audit';
import { readIndicatorsFlaggedBy } from '../db/flags';
import { readOrg, setSuspendedStatement } from '../db/orgs';
import { now } from '../db/rows';
import { ApiError } from '../errors';
import { ListState } from './list-state';
import { recount } from './recount';
import type { WriteCommand, WriteOutcome } from './write-commands';

const PAGE = 200;

/**
 * Suspends or reinstates an organization: its keys stop (or start) working with the first commit, then
 * every indicator its live flags hold up is counted again, a page per batch, each change in the feed.
 * Runs inside the list's writer, so no flag lands between the two steps.
 */
export async function changeOrgStatus(
  db: D1Database,
  { caller, orgId, suspend }: Extract<WriteCommand, { type: 'org-status' }>,
  threshold: number,
): Promise<WriteOutcome<'org-status'>> {
  const org = await readOrg(db, orgId);
  if (!org) throw new ApiError(404, 'not_found', `No organization ${orgId}.`);
  if (org.kind === 'operator') throw new ApiError(409, 'invalid_transition', 'The operator organization cannot be suspended.');
  if (suspend === (org.suspendedAt !== null)) {
    throw new ApiError(409, 'invalid_transition', suspend ? `${org.name} is already suspended (since ${org.suspendedAt}).` : `${org.name} is not suspended.`);
  }
  const at = suspend ? now() : null;
  const action = suspend ? 'org.suspended' : 'org.reinstated';
  await db.batch([
    setSuspendedStatement(db, orgId, at),
    auditStatement(db, { action, actorOrgId: caller.orgId, actorKeyId: caller.keyId, subjectType: 'org', subjectId: orgId, orgId }),
  ]);

  let recounted = 0;
  for (let after = ''; ; ) {
    const page = await readIndicatorsFlaggedBy(db, orgId, after, PAGE);
    if (page.length === 0) break;
    const state = await ListState.load(db, page);
    for (const indicator of page) {
      if (recount(state, indicator, threshold, { caller, reason: `${action}: ${org.name}` })) recounted++;
    }
    await state.commit();
    after = page.at(-1)!.id;
  }
  return { ok: true, status: 200, body: { ...org, suspendedAt: at, indicatorsRecounted: recounted } };
}
