import { expressionOf, indicatorOfKey, registrableDomain, type Evidence, type ServiceLink } from '../../../shared';
import { auditStatement } from '../db/audit';
import type { IndicatorRow } from '../db/indicators';
import { newId } from '../db/rows';
import type { Caller } from '../types';
import type { ListState } from './list-state';

/** A proposed service's first name: the brand's site where the flag shows one, or the indicator itself. */
function proposedName(row: IndicatorRow, evidence: Evidence | undefined): string {
  const site =
    row.kind === 'domain' || row.kind === 'host'
      ? row.value
      : row.kind === 'url'
        ? new URL(row.value).hostname
        : evidence?.url && new URL(evidence.url).hostname;
  if (site) {
    try {
      return registrableDomain(site);
    } catch {
      return site;
    }
  }
  return row.value.slice(0, 120);
}

/**
 * Which service a newly flagged indicator joins. One it already belongs to stays; otherwise the service that
 * holds most of the flag's identifiers (merchant ids, payment keys, wallets, handles, apps) takes it; a flag
 * whose evidence ties it to identifiers no service holds proposes a new service for reviewers to name or
 * merge. The service gets the identifiers nobody holds yet, so the next flag sharing one finds it, and the
 * flagged indicators those identifiers are (a merchant id flagged before) join it too, unless `pending` (this
 * request flags them itself). Returns the row to save.
 */
export function linkService(
  state: ListState,
  row: IndicatorRow,
  keys: string[],
  evidence: Evidence | undefined,
  caller: Caller,
  pending: ReadonlySet<string>,
): { row: IndicatorRow; link?: ServiceLink } {
  const join = (serviceId: string) => {
    state.claimKeys(serviceId, keys);
    adoptSiblings(state, serviceId, keys, new Set([...pending, expressionOf(row)]));
  };
  const heldBy = new Map<string, string[]>();
  for (const key of keys) {
    const holder = state.serviceOfKey(key);
    if (holder) heldBy.set(holder, [...(heldBy.get(holder) ?? []), key]);
  }
  if (row.serviceId) {
    const service = state.service(row.serviceId);
    join(row.serviceId);
    return service ? { row, link: { id: service.id, name: service.name, match: 'member', via: heldBy.get(service.id) ?? [] } } : { row };
  }
  const [best] = [...heldBy].sort(([a, ka], [b, kb]) => kb.length - ka.length || (a < b ? -1 : 1));
  if (best) {
    const service = state.service(best[0])!;
    join(service.id);
    audit(state, caller, 'service.linked', service.id, row, best[1]);
    return { row: { ...row, serviceId: service.id }, link: { id: service.id, name: service.name, match: 'linked', via: best[1] } };
  }
  // A service ties two things together at least: the indicator and an identifier its evidence shows.
  if (!keys.some((key) => key !== expressionOf(row))) return { row };
  const service = {
    id: newId('svc'),
    name: proposedName(row, evidence),
    state: 'proposed' as const,
    merged_into: null,
    created_at: state.at,
    updated_at: state.at,
  };
  state.addService(service);
  join(service.id);
  audit(state, caller, 'service.proposed', service.id, row, keys);
  return { row: { ...row, serviceId: service.id }, link: { id: service.id, name: service.name, match: 'proposed', via: [] } };
}

/** Flagged indicators that are identifiers of the service and belong to none join it (a change, when on the list). */
function adoptSiblings(state: ListState, serviceId: string, keys: string[], skip: ReadonlySet<string>) {
  for (const key of keys) {
    const indicator = indicatorOfKey(key);
    const sibling = indicator && !skip.has(key) ? state.row(indicator) : null;
    if (sibling && !sibling.serviceId) state.save(sibling, { ...sibling, serviceId });
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
