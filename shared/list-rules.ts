import { kindsWhere, type IndicatorKind } from './indicator/kinds';
import type { Reason, Status } from './api/common';
import type { ReviewAction } from './api/review';

/*
 * The rules of the list, in one place: what counts as on the list, which flags count toward consensus,
 * where a recount leads, and which moves a reviewer may make. Every writer and reader asks this module.
 */

/** Statuses partners see on the list (a disputed entry stays listed, marked). */
export const ON_LIST: readonly Status[] = ['listed', 'disputed'];
/** Takes a lookup's status too: `unknown` is not on the list. */
export const isOnList = (status: Status | 'unknown' | null | undefined): boolean => !!status && (ON_LIST as readonly string[]).includes(status);

/** Where things start and end: a first flag reports, consensus lists, a reviewer's delisting or expiry removes. */
export const FIRST_STATUS: Status = 'reported';
export const CONSENSUS_STATUS: Status = 'listed';
export const REMOVED_STATUS: Status = 'delisted';
export const DISPUTED_STATUS: Status = 'disputed';

/** On the list but contested: partners see it marked (lower STIX confidence, `?` badge), still listed. */
export const isDisputed = (status: Status | null | undefined): boolean => status === DISPUTED_STATUS;

/** A live flag as consensus sees it: who flagged, why, and what kind of organization that is now. */
export interface CountedFlag {
  orgId: string;
  reason: Reason;
  /** The operator decides through its reviewers; its flags inform, they are not a vote. */
  operator: boolean;
  /** A suspended organization's flags stay on record but stop counting until it is reinstated. */
  suspended: boolean;
}

/** One vote per member organization, never per key; suspended organizations and the operator do not vote. */
export function tally(flags: readonly CountedFlag[]): { orgCount: number; reasons: Reason[] } {
  const heard = flags.filter((f) => !f.suspended);
  return {
    orgCount: new Set(heard.filter((f) => !f.operator).map((f) => f.orgId)).size,
    reasons: [...new Set(heard.map((f) => f.reason))].sort(),
  };
}

/**
 * Where an indicator stands after its flags are counted again. A reported indicator is listed once
 * `threshold` organizations agree; a listing that rests on consensus alone (not a reviewer's confirmation)
 * falls back to reported when the count drops below it (a suspension, a withdrawal). Delisted stays
 * delisted: only a new flag reopens it (see `reopenedBy`).
 */
export function statusAfterCount(current: Status, confirmed: boolean, orgCount: number, threshold: number): Status {
  if (current === FIRST_STATUS) return orgCount >= threshold ? CONSENSUS_STATUS : FIRST_STATUS;
  if (isOnList(current) && !confirmed && orgCount < threshold) return FIRST_STATUS;
  return current;
}

/** A new flag on a delisted indicator reopens it as a fresh report; other statuses are unchanged by it. */
export const reopenedBy = (current: Status): Status => (current === REMOVED_STATUS ? FIRST_STATUS : current);

/** Which statuses each review action starts from (`null` = never flagged), where it leads, what it does to the flags. */
export const REVIEW_MOVES: Record<ReviewAction, { from: readonly (Status | null)[]; to: Status; retiresFlags: boolean; confirmed: boolean | null }> = {
  // Confirming a listing stands behind it whatever the count, and counts as a review (it will not expire soon).
  confirm: { from: [null, 'reported', 'listed', 'disputed', 'delisted'], to: 'listed', retiresFlags: false, confirmed: true },
  reject: { from: ['reported'], to: 'delisted', retiresFlags: true, confirmed: false },
  delist: { from: ['listed', 'disputed'], to: 'delisted', retiresFlags: true, confirmed: false },
  // A dispute keeps whatever standing the listing had.
  dispute: { from: ['listed'], to: DISPUTED_STATUS, retiresFlags: false, confirmed: null },
};

/**
 * One decision for a whole service, as the review action it takes on each member by status: confirming lists
 * its reports and stands behind its listings; delisting takes its listings off and rejects its reports. A
 * delisted member stays delisted either way (it was decided on its own).
 */
export const SERVICE_DECISIONS: Record<'confirm' | 'delist', Partial<Record<Status, ReviewAction>>> = {
  confirm: { reported: 'confirm', listed: 'confirm', disputed: 'confirm' },
  delist: { reported: 'reject', listed: 'delist', disputed: 'delist' },
};

/** Review actions that decide for every partner: the operator's reviewers alone take them. */
export const DECIDING_ACTIONS: readonly ReviewAction[] = ['confirm', 'reject', 'delist'];

/** Kinds that name one page or one mirror host (the kinds table's shortLived): they go stale, unlike a brand's domain or app. */
export const SHORT_LIVED_KINDS: readonly IndicatorKind[] = kindsWhere((kind) => kind.shortLived);

/** A listing of a short-lived kind that nobody flagged or reviewed for the expiry period is removed. */
export const EXPIRY = { kinds: SHORT_LIVED_KINDS, to: REMOVED_STATUS } as const;

/*
 * Appeals and disputes. An anonymous appeal or one member's dispute is a proposal: it opens (or joins) the
 * target's case and changes nothing partners see. Only an operator reviewer's decision answers a case, and the
 * answer follows where the decision left the indicator. A listing that leaves the list by other means
 * (withdrawal, suspension, expiry) leaves its case open: a reinstatement could bring it back, and the appellant
 * is owed a reviewer's answer, not an accident of counting.
 */

/** Open disputes one target's case holds; past it an appeal is refused (429) until reviewers answer. */
export const MAX_OPEN_DISPUTES_PER_TARGET = 50;

/** What a case's answer says of the listing: kept on the list, or not on it. */
export const caseOutcome = (after: Status | null): 'kept' | 'removed' => (isOnList(after) ? 'kept' : 'removed');

/** What appellants read when the reviewer wrote nothing for them: never the audit reason, never who flagged. */
export const NEUTRAL_ANSWERS: Record<'kept' | 'removed', string> = {
  kept: 'A reviewer looked at this listing and kept it.',
  removed: 'This is not on the list: partners have nothing to act on.',
};

/** Member analysts' disputes only propose; marking a listing disputed for every partner is a reviewer's decision. */
export const memberDisputeProposes = (operator: boolean): boolean => !operator;

/**
 * Budgets. A member organization's flags count against one budget across all its keys, item by item (a batch of
 * 500 spends 500), and its withdrawal of a flag makes its re-flag of that indicator wait a day: one member cannot
 * flap a listing faster than partners poll, nor beat a limit by minting keys or batching.
 */
export const FLAG_BUDGET_WINDOW_MINUTES = 60;
export const REFLAG_COOLDOWN_HOURS = 24;

/*
 * Services. An organization's flag claims the identifiers its evidence shows (merchant ids, payment keys, wallets,
 * handles, apps) for the service the flag ends in. A claim is a proposal: it binds that organization's own later
 * flags, and everyone's once a second organization makes the same claim or a reviewer has named the service. The
 * service of an indicator partners already see changes only on such a corroborated claim (or a reviewer's move).
 */

/** At most this many identifiers of one flag link it to services: a page listing fifty wallets claims none past it. */
export const MAX_SERVICE_KEYS_PER_FLAG = 10;

/** Two organizations claimed the identifier for the service, or a reviewer named it: it binds everyone. */
export const claimCorroborated = (claimants: ReadonlySet<string>, named: boolean): boolean => named || [...claimants].filter((org) => org !== '').length >= 2;

/** Whether a claim ties this organization's flag to the service: its own, or a corroborated one. */
export const claimBinds = (claimants: ReadonlySet<string>, orgId: string, named: boolean): boolean =>
  claimants.has(orgId) || claimCorroborated(claimants, named);
