import { claimBinds, claimCorroborated, expressionOf, indicatorOfKey, isOnList, MAX_SERVICE_KEYS_PER_FLAG, siteOf, type ServiceLink } from '../../../shared';
import { auditStatement } from '../db/audit';
import type { IndicatorRow } from '../db/indicators';
import { newId } from '../db/rows';
import type { Caller } from '../types';
import type { ListState } from './list-state';

/** A proposed service's first name: the flagged indicator's site, or the indicator itself (never the evidence). */
const proposedName = (row: IndicatorRow): string => siteOf(row) ?? row.value.slice(0, 120);

/**
 * Which service a newly flagged indicator joins, by the list rules' claims (shared/list-rules.ts). One it already
 * belongs to stays. Otherwise the service holding most of the flag's identifiers by claims that bind this
 * organization takes it (only corroborated claims move an indicator partners already see); a flag whose evidence
 * ties it to identifiers no binding claim holds proposes a new service, named after the indicator. The flag claims
 * its identifiers for the service it ends in, and flagged indicators those identifiers are join too once that claim
 * is corroborated, unless `pending` (this request flags them itself).
 * `wasOnList`: whether partners saw the indicator before this flag. Returns the row to save.
 */
export function linkService(
  state: ListState,
  row: IndicatorRow,
  wasOnList: boolean,
  allKeys: string[],
  caller: Caller,
  pending: ReadonlySet<string>,
): { row: IndicatorRow; link?: ServiceLink } {
  const keys = allKeys.slice(0, MAX_SERVICE_KEYS_PER_FLAG);
  const binds = (key: string, serviceId: string, strict: boolean) => {
    const claimants = state.claimsOf(key).get(serviceId) ?? new Set<string>();
    const named = state.service(serviceId)?.state === 'named';
    return strict ? claimCorroborated(claimants, named) : claimBinds(claimants, caller.orgId, named);
  };
  const join = (serviceId: string) => {
    state.claimKeys(serviceId, keys, caller.orgId);
    adoptSiblings(state, serviceId, keys, new Set([...pending, expressionOf(row)]), binds);
  };
  // What the flag's answer may name: a service partners can see, one a reviewer named, or one this organization's
  // own claims tie it to; never another organization's unlisted proposal (its name would tell of their reports).
  const shown = (serviceId: string, link: ServiceLink, ownClaims: boolean) => {
    const service = state.service(serviceId);
    return service && (service.state === 'named' || service.on_list > 0 || isOnList(row.status) || ownClaims) ? link : undefined;
  };
  const heldBy = new Map<string, string[]>();
  for (const key of keys) {
    for (const serviceId of state.claimsOf(key).keys()) {
      if (binds(key, serviceId, wasOnList)) heldBy.set(serviceId, [...(heldBy.get(serviceId) ?? []), key]);
    }
  }
  if (row.serviceId) {
    const service = state.service(row.serviceId);
    const own = keys.some((key) => state.claimsOf(key).get(row.serviceId!)?.has(caller.orgId));
    join(row.serviceId);
    if (!service) return { row };
    return { row, link: shown(service.id, { id: service.id, name: service.name, match: 'member', via: heldBy.get(service.id) ?? [] }, own) };
  }
  const [best] = [...heldBy].sort(([a, ka], [b, kb]) => kb.length - ka.length || (a < b ? -1 : 1));
  if (best) {
    const service = state.service(best[0])!;
    const own = best[1].every((key) => state.claimsOf(key).get(service.id)?.has(caller.orgId));
    join(service.id);
    audit(state, caller, 'service.linked', service.id, row, best[1]);
    return { row: { ...row, serviceId: service.id }, link: shown(service.id, { id: service.id, name: service.name, match: 'linked', via: best[1] }, own) };
  }
  // A service ties two things together at least: the indicator and an identifier its evidence shows. One
  // organization's proposal never changes the service of an indicator partners already see.
  if (wasOnList || !keys.some((key) => key !== expressionOf(row))) return { row };
  const service = { id: newId('svc'), name: proposedName(row), state: 'proposed' as const, merged_into: null, created_at: state.at, updated_at: state.at };
  state.addService(service);
  join(service.id);
  audit(state, caller, 'service.proposed', service.id, row, keys);
  return { row: { ...row, serviceId: service.id }, link: { id: service.id, name: service.name, match: 'proposed', via: [] } };
}

/**
 * Flagged indicators that are identifiers of the service and belong to none join it only on a corroborated claim:
 * they are other organizations' flags (or on the list), and one organization's evidence does not move them.
 */
function adoptSiblings(
  state: ListState,
  serviceId: string,
  keys: string[],
  skip: ReadonlySet<string>,
  binds: (key: string, serviceId: string, strict: boolean) => boolean,
) {
  for (const key of keys) {
    const indicator = indicatorOfKey(key);
    const sibling = indicator && !skip.has(key) ? state.row(indicator) : null;
    if (sibling && !sibling.serviceId && binds(key, serviceId, true)) state.save(sibling, { ...sibling, serviceId });
  }
}

function audit(state: ListState, caller: Caller, action: string, serviceId: string, row: IndicatorRow, keys: string[]) {
  state.push(
    auditStatement(
      state.db,
      {
        action,
        actorOrgId: caller.orgId,
        actorKeyId: caller.keyId,
        subjectType: 'service',
        subjectId: serviceId,
        orgId: caller.orgId,
        details: { indicator: { kind: row.kind, value: row.value }, keys },
      },
      state.at,
    ),
  );
}
