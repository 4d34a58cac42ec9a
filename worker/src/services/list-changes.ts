import { LISTED_STATUSES, updateChecksum, type Status } from '../../../shared';
import { insertChangeStatement, type ListHead } from '../db/changes';
import type { IndicatorRow } from '../db/indicators';
import { now } from '../db/rows';

export interface Transition {
  before: IndicatorRow | null;
  after: IndicatorRow;
}

const onList = (row: IndicatorRow | null): row is IndicatorRow =>
  row !== null && (LISTED_STATUSES as readonly Status[]).includes(row.status);

const sameEntry = (a: IndicatorRow, b: IndicatorRow) =>
  a.status === b.status && a.orgCount === b.orgCount && [...a.reasons].sort().join() === [...b.reasons].sort().join();

/**
 * Turns indicator transitions into change-log rows: each visible change gets the next version and the
 * list checksum after it. Returns the statements and the new head.
 */
export async function listChangeStatements(db: D1Database, head: ListHead, transitions: Transition[]) {
  const statements: D1PreparedStatement[] = [];
  let { version, checksum } = head;
  const createdAt = now();
  for (const { before, after } of transitions) {
    const wasOn = onList(before);
    const isOn = onList(after);
    if (!wasOn && !isOn) continue;
    if (wasOn && isOn && sameEntry(before, after)) continue;
    checksum = updateChecksum(checksum, wasOn ? before : null, isOn ? after : null);
    version += 1;
    statements.push(
      insertChangeStatement(db, {
        version,
        indicatorId: after.id,
        op: isOn ? 'upsert' : 'remove',
        kind: after.kind,
        value: after.value,
        status: isOn ? after.status : null,
        reasons: isOn ? after.reasons : [],
        orgCount: isOn ? after.orgCount : 0,
        checksum,
        createdAt,
      }),
      db.prepare('UPDATE indicators SET list_version = ?2 WHERE id = ?1').bind(after.id, version),
    );
  }
  return { statements, head: { version, checksum } };
}
