import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type {
  ApiErrorCode,
  FieldIssue,
  FlagInput,
  FlagResponse,
  Indicator,
  IndicatorKind,
  OrgStatusChange,
  ReviewAction,
  ReviewResponse,
  ServiceChangeResponse,
  ServiceReviewResponse,
  WithdrawResponse,
} from '../../../shared';
import type { NewDispute } from '../db/disputes';
import type { IdempotencyClaim } from '../db/idempotency';
import type { Caller } from '../types';

/**
 * A flag input with its target parsed and the identifiers it could link a service by (the route derives both,
 * so bad input never reaches the writer and the single writer does not redo the work).
 */
export type ParsedFlagInput = FlagInput & { indicator: Indicator; serviceKeys: string[] };

/** Everything that changes the list, as plain data: it crosses into the ListWriter Durable Object by RPC. */
export type WriteCommand =
  | { type: 'flag'; caller: Caller; inputs: ParsedFlagInput[]; claim: IdempotencyClaim }
  | {
      type: 'review';
      caller: Caller;
      action: ReviewAction;
      indicator: Indicator;
      reason: string;
      /** What the indicator's appellants read when this decision answers its case. */
      publicReason?: string;
      /** A member's dispute, as the route made it: it joins the case and changes nothing partners see. */
      memberDispute?: NewDispute;
    }
  | { type: 'withdraw'; caller: Caller; flagId: string; indicator: Indicator; reason: string }
  | { type: 'org-status'; caller: Caller; orgId: string; suspend: boolean }
  | { type: 'expire'; kinds: IndicatorKind[]; cutoff: string; days: number }
  | { type: 'service'; caller: Caller; serviceId: string; change: ServiceChange };

/** What an operator reviewer does to a service. */
export type ServiceChange =
  | { op: 'rename'; name: string; reason: string }
  | { op: 'merge'; from: string[]; reason: string }
  | { op: 'split'; indicators: Indicator[]; name: string; reason: string }
  | { op: 'review'; action: 'confirm' | 'delist'; reason: string; seen: string };

/** What each command answers when it is committed: the contract's response for its route. */
export interface WriteBodies {
  flag: FlagResponse;
  review: ReviewResponse;
  withdraw: WithdrawResponse;
  'org-status': OrgStatusChange;
  expire: { expired: number };
  service: ServiceChangeResponse | ServiceReviewResponse;
}
export type CommandType = WriteCommand['type'];

/** A refusal, as data (RPC keeps an error's message, not its fields); raised as the API error it is. */
export type WriteRefusal = { ok: false; status: ContentfulStatusCode; code: ApiErrorCode; message: string; fields?: FieldIssue[]; retryAfter?: number };

/** The writer's answer to a command of type T: its response body, or a refusal. */
export type WriteOutcome<T extends CommandType = CommandType> =
  | { ok: true; status: ContentfulStatusCode; body: WriteBodies[T]; replayed?: boolean }
  | WriteRefusal;

/** Flags, reviews and withdrawals plan together in one batch; the others walk many indicators and run alone. */
export const isGroupable = (command: WriteCommand): command is Extract<WriteCommand, { type: 'flag' | 'review' | 'withdraw' }> =>
  command.type === 'flag' || command.type === 'review' || command.type === 'withdraw';

export const indicatorsOf = (command: WriteCommand): Indicator[] =>
  command.type === 'flag' ? command.inputs.map((i) => i.indicator) : command.type === 'review' || command.type === 'withdraw' ? [command.indicator] : [];
