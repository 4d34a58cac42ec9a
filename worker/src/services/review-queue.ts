import type { Evidence, QueueItem, QueueReason } from '../../../shared';
import { config, lifetimes } from '../config';
import { readOpenDisputes } from '../db/disputes';
import { readExpiring, readMirrors, readOpenCases, readWaiting, readWaitingFlags, type WaitingRow } from '../db/review-queue';
import { summaryOfDbRow } from '../db/indicators';
import { readServices, toServiceRef } from '../db/services';
import { signalCounts } from './evidence-summary';

const DAY = 86_400_000;

/** A waiting indicator, why it waits, and by when (null for a report). */
type Waiting = [WaitingRow, QueueReason, string | null];
/** Listings that expire within this window are shown, so a reviewer can keep one that is still live. */
const EXPIRY_WARNING_DAYS = 7;
/** Appeals shown per item (newest first); `openDisputes` counts them all. */
const APPEALS_PER_ITEM = 10;
/** Flags' evidence shown per item (newest first). */
const EVIDENCE_PER_ITEM = 10;

/**
 * What waits for the operator's reviewers: open disputes by deadline (overdue first), then mirrors of listed
 * services (reports tied to a listed brand: one step to confirm), listings about to expire, and the other
 * reports, most corroborated first. Each with its evidence summarized:
 * reasons, signal types, organizations (a count, never which), first and last seen.
 */
export async function reviewQueue(env: Env, limit: number, offset = 0, at = Date.now()): Promise<{ items: QueueItem[]; next: number | null }> {
  const kinds = lifetimes(config(env));
  const lifetime = new Map(kinds);
  // Each source sorted by urgency, read as far as this page reaches, merged, then cut: never cut before sorting.
  const reach = offset + limit + 1;
  const [cases, disputed, mirrors, reported, ...expiringByKind] = await Promise.all([
    readOpenCases(env.DB, reach),
    readWaiting(env.DB, 'disputes', reach),
    readMirrors(env.DB, reach),
    readWaiting(env.DB, 'reports', reach),
    ...kinds.map(([kind, days]) => readExpiring(env.DB, [kind], new Date(at - Math.max(0, days - EXPIRY_WARNING_DAYS) * DAY).toISOString(), reach)),
  ]);
  const expiring = expiringByKind.flat();
  const expiresAt = (row: WaitingRow) => new Date(Date.parse(row.updated_at) + (lifetime.get(row.kind) ?? 0) * DAY).toISOString();
  const seen = new Set<string>();
  const all: Waiting[] = [
    ...cases.map((r): Waiting => [r, 'dispute', r.due_at]),
    // Marked disputed by a reviewer, with no open case left.
    ...disputed.map((r): Waiting => [r, 'dispute', r.due_at]),
    ...mirrors.map((r): Waiting => [r, 'report', null]),
    ...expiring.map((r): Waiting => [r, 'expiry', expiresAt(r)]).sort((a, b) => a[2]!.localeCompare(b[2]!)),
    ...reported.map((r): Waiting => [r, 'report', null]),
  ].filter(([r]) => !seen.has(r.id) && !!seen.add(r.id));
  const waiting = all.slice(offset, offset + limit);
  const next = all.length > offset + limit ? offset + limit : null;

  const mirrorIds = new Set(mirrors.map((r) => r.id));
  const [flags, services, appeals] = await Promise.all([
    readWaitingFlags(
      env.DB,
      waiting.map(([r]) => r.id),
    ),
    readServices(env.DB, [...new Set(waiting.flatMap(([r]) => (r.service_id ? [r.service_id] : [])))]),
    readOpenDisputes(
      env.DB,
      waiting.filter(([r]) => r.open_disputes > 0).map(([r]) => ({ kind: r.kind, value: r.value })),
    ),
  ]);
  const appealsOf = new Map<string, typeof appeals>();
  for (const appeal of appeals) {
    const key = `${appeal.kind}:${appeal.value}`;
    const list = appealsOf.get(key) ?? [];
    if (list.length < APPEALS_PER_ITEM) appealsOf.set(key, [...list, appeal]);
  }
  const byIndicator = new Map<string, typeof flags>();
  for (const flag of flags) byIndicator.set(flag.indicator_id, [...(byIndicator.get(flag.indicator_id) ?? []), flag]);
  const now = new Date(at).toISOString();
  const items = waiting.map(([row, why, dueAt]): QueueItem => {
    const own = byIndicator.get(row.id) ?? [];
    const times = own.map((f) => f.created_at).sort();
    const service = row.service_id ? services.get(row.service_id) : undefined;
    return {
      indicator: summaryOfDbRow(row),
      why,
      dueAt,
      overdue: dueAt !== null && dueAt < now,
      openDisputes: row.open_disputes,
      firstSeen: times[0] ?? row.created_at,
      lastSeen: [times.at(-1) ?? row.created_at, row.updated_at].sort().at(-1)!,
      signals: signalCounts(own),
      service: service ? toServiceRef(service) : null,
      mirrorOf: service && mirrorIds.has(row.id) ? toServiceRef(service) : null,
      evidence: own.slice(0, EVIDENCE_PER_ITEM).map((flag) => ({
        reason: flag.reason,
        at: flag.created_at,
        evidence: flag.evidence ? (JSON.parse(flag.evidence) as Evidence) : null,
        note: flag.note,
      })),
      appeals: (appealsOf.get(`${row.kind}:${row.value}`) ?? []).map(({ kind: _kind, value: _value, ...appeal }) => appeal),
    };
  });
  return { items, next };
}
