import { ApiError } from '../errors';
import { headQuery, toHead, type ListHead } from '../db/changes';
import { now } from '../db/rows';
import { listChangeStatements, type Transition } from './list-changes';

export interface WritePlan<T> {
  statements: D1PreparedStatement[];
  transitions: Transition[];
  result: T;
}

const MAX_ATTEMPTS = 6;
const isWriteConflict = (error: unknown) => String(error).includes('write_seq.rev');

/**
 * Runs a read-then-write as one atomic D1 batch with optimistic concurrency: the batch claims the next
 * write_seq rev, so if anyone wrote since our reads began, the whole batch fails and we plan again.
 * `plan` must read everything it decides on after being called (never reuse reads across attempts).
 */
export async function commitWrite<T>(db: D1Database, plan: (head: ListHead) => Promise<WritePlan<T>>): Promise<T> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [seq, head] = await db.batch<unknown>([db.prepare('SELECT COALESCE(MAX(rev), 0) AS rev FROM write_seq'), headQuery(db)]);
    const rev = (seq!.results[0] as { rev: number }).rev;
    const listHead = toHead(head!.results[0] as ListHead | undefined);
    const { statements, transitions, result } = await plan(listHead);
    const changes = await listChangeStatements(db, listHead, transitions);
    try {
      await db.batch([
        db.prepare('INSERT INTO write_seq (rev, at) VALUES (?1, ?2)').bind(rev + 1, now()),
        ...statements,
        ...changes.statements,
      ]);
      return result;
    } catch (error) {
      if (!isWriteConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt * Math.random()));
    }
  }
  throw new ApiError(409, 'conflict', 'Too many concurrent writes to the same list; retry the request with the same Idempotency-Key.');
}
