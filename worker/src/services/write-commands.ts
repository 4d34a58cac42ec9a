import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorCode, FieldIssue, FlagInput, Indicator, IndicatorKind, ReviewAction } from '../../../shared';
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

/** The writer's answer: a response body to send, or an API error to raise. */
export type WriteOutcome =
  | { ok: true; status: ContentfulStatusCode; body: unknown; replayed?: boolean }
  | { ok: false; status: ContentfulStatusCode; code: ApiErrorCode; message: string; fields?: FieldIssue[]; retryAfter?: number };

/** Flags, reviews and withdrawals plan together in one batch; the others walk many indicators and run alone. */
export const isGroupable = (command: WriteCommand): command is Extract<WriteCommand, { type: 'flag' | 'review' | 'withdraw' }> =>
  command.type === 'flag' || command.type === 'review' || command.type === 'withdraw';

export const indicatorsOf = (command: WriteCommand): Indicator[] =>
  command.type === 'flag' ? command.inputs.map((i) => i.indicator) : command.type === 'review' || command.type === 'withdraw' ? [command.indicator] : [];
