import { checksumOf, MAX_SERVICE_ENTRIES, type ServiceResponse } from '../../../shared';
import { summaryOfDbRow } from '../db/indicators';
import { readWaitingFlags } from '../db/review-queue';
import { readAllServiceMembers, readService, readServiceEntries } from '../db/services';
import { ApiError } from '../errors';
import type { Caller } from '../types';
import { signalCounts } from './evidence-summary';

/** The checksum of what a whole-service decision would move: every member and its status. */
export const membersSeen = (members: readonly { kind: string; value: string; status: string }[]) => checksumOf(members);

/**
 * A service as the caller may see it. Everyone: its name and its indicators on the list; a proposal with nothing on
 * the list is not there for them (its name would tell of another organization's unlisted reports). The operator's
 * reviewers: every member, reported ones too, with its organizations counted and its evidence summarized, and the
 * `seen` checksum a whole-service decision must send back.
 */
export async function viewService(db: D1Database, id: string, caller: Caller): Promise<ServiceResponse> {
  const service = await readService(db, id);
  const reviewer = caller.operator && caller.role === 'reviewer';
  const { entries, truncated } = service ? await readServiceEntries(db, service.id) : { entries: [], truncated: false };
  if (!service || (!reviewer && service.state === 'proposed' && entries.length === 0)) throw new ApiError(404, 'not_found', `No service ${id}.`);
  const base = { id: service.id, name: service.name, state: service.state, createdAt: service.created_at, updatedAt: service.updated_at, entries, truncated };
  if (!reviewer) return base;

  const rows = (await readAllServiceMembers(db, service.id)).slice(0, MAX_SERVICE_ENTRIES);
  const flags = await readWaitingFlags(
    db,
    rows.map((r) => r.id),
  );
  const flagsOf = new Map<string, typeof flags>();
  for (const flag of flags) flagsOf.set(flag.indicator_id, [...(flagsOf.get(flag.indicator_id) ?? []), flag]);
  const members = rows.map((row) => ({
    ...summaryOfDbRow(row),
    signals: signalCounts(flagsOf.get(row.id) ?? []),
  }));
  return { ...base, members, seen: membersSeen(members) };
}
