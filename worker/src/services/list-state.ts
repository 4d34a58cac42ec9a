import { expressionOf, FLAG_BUDGET_WINDOW_MINUTES, isOnList, REFLAG_COOLDOWN_HOURS, updateChecksum, type Indicator } from '../../../shared';
import { headQuery, insertChangeStatement, listVersionStatement, toHead, type ListHead } from '../db/changes';
import { liveFlagsStatement, orgFlagCountsStatement, recentWithdrawalsStatement, toLiveFlag, type LiveFlag, type LiveFlagRow } from '../db/flags';
import { claimId, storedResponsesStatement, type IdempotencyClaim, type StoredResponse } from '../db/idempotency';
import { indicatorsParam, indicatorsStatement, saveIndicatorStatement, toIndicatorMap, type IndicatorDbRow, type IndicatorRow } from '../db/indicators';
import { keyStandingStatement, type KeyStandingRow } from '../db/keys';
import { now } from '../db/rows';
import {
  claimKeysStatement,
  insertServiceStatement,
  serviceClaimsStatement,
  servicesForStatement,
  type LoadedServiceRow,
  type ServiceClaimRow,
  type ServiceRow,
} from '../db/services';

const sameEntry = (a: IndicatorRow, b: IndicatorRow) =>
  a.status === b.status && a.orgCount === b.orgCount && a.reasons.join() === b.reasons.join() && a.serviceId === b.serviceId;

function claimsByKey(rows: ServiceClaimRow[]): Map<string, Map<string, Set<string>>> {
  const claims = new Map<string, Map<string, Set<string>>>();
  for (const { key, service_id, org_id } of rows) {
    const byService = claims.get(key) ?? new Map<string, Set<string>>();
    byService.set(service_id, (byService.get(service_id) ?? new Set()).add(org_id));
    claims.set(key, byService);
  }
  return claims;
}

/**
 * What a group of writes plans against: the list head, the indicators they touch with their live flags,
 * and the stored responses of their Idempotency-Keys, read in one D1 batch. Planning mutates this state in
 * order (a later write sees an earlier one's effect) and collects the statements that commit it all in one
 * batch. Only the list's writer (ListWriter) makes one, so nothing changes underneath it.
 */
export class ListState {
  readonly statements: D1PreparedStatement[] = [];
  readonly at = now();

  private constructor(
    readonly db: D1Database,
    private head: ListHead,
    private readonly rows: Map<string, IndicatorRow>,
    private readonly flags: Map<string, LiveFlag[]>,
    private readonly stored: Map<string, StoredResponse>,
    /** key → service → the organizations that claimed it there. */
    private readonly claims: Map<string, Map<string, Set<string>>>,
    private readonly services: Map<string, LoadedServiceRow>,
    private readonly keys: Map<string, KeyStandingRow>,
    private readonly spent: Map<string, number>,
    private readonly withdrawals: Map<string, string>,
  ) {}

  /** `serviceKeys`: the identifiers the writes may link services by (shared/api/signal-indicators.ts). */
  /**
   * `callers`: the API keys and organizations whose writes are planned, read for whether they still stand (see
   * `refusal`), what their organizations' flag budgets have spent, and their recent withdrawals.
   */
  static async load(
    db: D1Database,
    some: Indicator[],
    claims: IdempotencyClaim[] = [],
    serviceKeys: string[] = [],
    callers: { keyId: string; orgId: string }[] = [],
  ): Promise<ListState> {
    // Each once: a repeated indicator would read its live flags twice.
    const indicators = [...new Map(some.map((i) => [expressionOf(i), i])).values()];
    const orgIds = [...new Set(callers.map((c) => c.orgId))];
    const at = Date.now();
    const [head, rows, flags, stored, keys, services, standing, spent, withdrawals] = await db.batch<unknown>([
      headQuery(db),
      indicatorsStatement(db, indicators),
      liveFlagsStatement(db, indicators),
      storedResponsesStatement(db, claims),
      serviceClaimsStatement(db, serviceKeys),
      servicesForStatement(db, serviceKeys, indicatorsParam(indicators)),
      keyStandingStatement(db, [...new Set(callers.map((c) => c.keyId))]),
      orgFlagCountsStatement(db, orgIds, new Date(at - FLAG_BUDGET_WINDOW_MINUTES * 60_000).toISOString()),
      recentWithdrawalsStatement(db, orgIds, indicatorsParam(indicators), new Date(at - REFLAG_COOLDOWN_HOURS * 3_600_000).toISOString()),
    ]);
    const byIndicator = new Map<string, LiveFlag[]>();
    for (const row of flags!.results as LiveFlagRow[]) {
      const flag = toLiveFlag(row);
      byIndicator.set(flag.indicatorId, [...(byIndicator.get(flag.indicatorId) ?? []), flag]);
    }
    return new ListState(
      db,
      toHead(head!.results[0] as ListHead | undefined),
      toIndicatorMap(rows!.results as IndicatorDbRow[]),
      byIndicator,
      new Map((stored!.results as StoredResponse[]).map((s) => [claimId({ orgId: s.org_id, key: s.key }), s])),
      claimsByKey(keys!.results as ServiceClaimRow[]),
      new Map((services!.results as LoadedServiceRow[]).map((s) => [s.id, s])),
      new Map((standing!.results as KeyStandingRow[]).map((k) => [k.id, k])),
      new Map((spent!.results as { org_id: string; n: number }[]).map((r) => [r.org_id, r.n])),
      new Map(
        (withdrawals!.results as { org_id: string; indicator_id: string; withdrawn_at: string }[]).map((w) => [
          `${w.org_id} ${w.indicator_id}`,
          w.withdrawn_at,
        ]),
      ),
    );
  }

  /** Flags an organization made within the budget window, this batch's included. */
  flagsSpent(orgId: string): number {
    return this.spent.get(orgId) ?? 0;
  }

  spend(orgId: string, flags: number): void {
    this.spent.set(orgId, this.flagsSpent(orgId) + flags);
  }

  /** A withdrawal planned in this batch starts the cool-down for the rest of it. */
  withdrew(orgId: string, indicatorId: string): void {
    this.withdrawals.set(`${orgId} ${indicatorId}`, this.at);
  }

  /** When the organization last withdrew a flag of the indicator, within the cool-down; null if not. */
  withdrawnAt(orgId: string, indicatorId: string): string | null {
    return this.withdrawals.get(`${orgId} ${indicatorId}`) ?? null;
  }

  /**
   * Why a caller's write no longer counts, or null: authentication ran before the write reached the writer, so a
   * key revoked or an organization suspended since then is decided here, against what was committed before this
   * batch (a suspension commits through this writer, so nothing planned after it slips through).
   */
  refusal(keyId: string): 'key_revoked' | 'org_suspended' | null {
    const key = this.keys.get(keyId);
    if (!key || key.revoked) return 'key_revoked';
    return key.suspended ? 'org_suspended' : null;
  }

  get version(): number {
    return this.head.version;
  }

  row(indicator: Indicator): IndicatorRow | null {
    return this.rows.get(expressionOf(indicator)) ?? null;
  }

  flagsOf(indicatorId: string): LiveFlag[] {
    return this.flags.get(indicatorId) ?? [];
  }

  setFlags(indicatorId: string, flags: LiveFlag[]): void {
    this.flags.set(indicatorId, flags);
  }

  storedResponse(claim: IdempotencyClaim): StoredResponse | null {
    return this.stored.get(claimId(claim)) ?? null;
  }

  /** Remembers a response written in this batch, so a same-key request later in the batch replays it. */
  remember(claim: IdempotencyClaim, status: number, body: unknown): void {
    this.stored.set(claimId(claim), { org_id: claim.orgId, key: claim.key, request_hash: claim.requestHash, status, body: JSON.stringify(body) });
  }

  /** The services an identifier is claimed for, each with the organizations that claimed it there. */
  claimsOf(key: string): ReadonlyMap<string, ReadonlySet<string>> {
    return this.claims.get(key) ?? new Map();
  }

  service(id: string): LoadedServiceRow | undefined {
    return this.services.get(id);
  }

  addService(service: ServiceRow): void {
    this.services.set(service.id, { ...service, on_list: 0 });
    this.statements.push(insertServiceStatement(this.db, service));
  }

  /** One organization claims identifiers for a service (its flag's evidence showed them there). */
  claimKeys(serviceId: string, keys: string[], orgId: string): void {
    const fresh = keys.filter((key) => !this.claimsOf(key).get(serviceId)?.has(orgId));
    if (!fresh.length) return;
    for (const key of fresh) {
      const byService = this.claims.get(key) ?? new Map<string, Set<string>>();
      byService.set(serviceId, new Set([...(byService.get(serviceId) ?? []), orgId]));
      this.claims.set(key, byService);
    }
    this.statements.push(claimKeysStatement(this.db, serviceId, fresh, orgId, this.at));
  }

  push(...statements: D1PreparedStatement[]): void {
    this.statements.push(...statements);
  }

  /**
   * Saves an indicator's new state; when partners can see the difference, the change gets the next version
   * and the checksum after it. Returns that version, or null when the list did not change.
   */
  save(before: IndicatorRow | null, after: IndicatorRow): number | null {
    this.rows.set(expressionOf(after), after);
    this.statements.push(saveIndicatorStatement(this.db, after));
    const wasOn = before !== null && isOnList(before.status);
    const isOn = isOnList(after.status);
    if ((!wasOn && !isOn) || (wasOn && isOn && sameEntry(before, after))) return null;
    const version = this.head.version + 1;
    const checksum = updateChecksum(this.head.checksum, wasOn ? before : null, isOn ? after : null);
    this.head = { version, checksum };
    this.statements.push(
      insertChangeStatement(this.db, {
        version,
        indicatorId: after.id,
        op: isOn ? 'upsert' : 'remove',
        kind: after.kind,
        value: after.value,
        status: isOn ? after.status : null,
        reasons: isOn ? after.reasons : [],
        orgCount: isOn ? after.orgCount : 0,
        ...(isOn && after.serviceId ? { service: after.serviceId } : {}),
        checksum,
        createdAt: this.at,
      }),
      listVersionStatement(this.db, after.id, version),
    );
    return version;
  }

  /** Writes everything planned as one D1 batch: one transaction, all or nothing. */
  async commit(): Promise<void> {
    if (this.statements.length) await this.db.batch(this.statements);
  }
}
