import { browser } from '#imports';
import { FlagResponse, type FlagInput } from '../../shared';
import { backoffMs } from '../../shared/client';
import { api, ApiFailure, failureMessage } from './api';
import type { FlagOutcome } from './messages';
import { activity, outbox, refusedFlags, type ActivityItem, type PendingFlag } from './storage';

const ALARM = 'outbox';
const BASE_BACKOFF_MS = 5_000;

export async function recordActivity(item: Omit<ActivityItem, 'at'>): Promise<void> {
  const items = await activity.getValue();
  await activity.setValue([{ ...item, at: Date.now() }, ...items].slice(0, 20));
}

async function scheduleNext(queue: PendingFlag[]): Promise<void> {
  if (queue.length === 0) {
    await browser.alarms.clear(ALARM);
    return;
  }
  await browser.alarms.create(ALARM, { when: Math.max(Date.now() + 1_000, Math.min(...queue.map((p) => p.nextAttemptAt))) });
}

type Attempt = FlagOutcome | { state: 'retry'; message: string; retryAfterMs: number | null };

async function attempt(pending: PendingFlag): Promise<Attempt> {
  try {
    const body = pending.inputs.length === 1 ? pending.inputs[0] : { flags: pending.inputs };
    const { results } = await api(FlagResponse, '/v1/flags', { method: 'POST', body, headers: { 'idempotency-key': pending.idempotencyKey } });
    return { state: 'sent', results };
  } catch (error) {
    // The shared retry rule: network, 408, 409, 429 and 5xx wait for another try; anything else is final.
    if (error instanceof ApiFailure && error.retryable) return { state: 'retry', message: error.message, retryAfterMs: error.retryAfterMs };
    return { state: 'failed', code: error instanceof ApiFailure ? error.code : 'error', message: failureMessage(error) };
  }
}

/**
 * Flags go through the outbox: stored first with their Idempotency-Key, then sent. A retryable failure
 * keeps them for another try with backoff (surviving browser restarts); the key makes delivery exactly
 * once. A flag leaves the outbox only when delivered or refused for good, and a refused one stays in
 * view, with its reason, until the analyst dismisses it.
 */
export async function submitFlags(inputs: FlagInput[], source: ActivityItem['source']): Promise<FlagOutcome> {
  const pending: PendingFlag = {
    id: crypto.randomUUID(),
    idempotencyKey: crypto.randomUUID(),
    inputs,
    createdAt: Date.now(),
    attempts: 0,
    nextAttemptAt: Date.now(),
    lastError: null,
  };
  await outbox.setValue([...(await outbox.getValue()), pending]);
  const outcome = await deliver(pending);
  await recordActivity({
    source,
    state: outcome.state,
    message: outcome.state === 'sent' ? `${outcome.results.length} flagged` : outcome.message,
    results: outcome.state === 'sent' ? outcome.results : undefined,
  });
  return outcome;
}

/** One delivery attempt for one pending flag, moving it on by the result. */
async function deliver(pending: PendingFlag): Promise<FlagOutcome> {
  const result = await attempt(pending);
  const rest = (await outbox.getValue()).filter((p) => p.id !== pending.id);
  let next = rest;
  if (result.state === 'retry') {
    const waitMs = backoffMs(pending.attempts, { baseMs: BASE_BACKOFF_MS, retryAfterMs: result.retryAfterMs });
    next = [...rest, { ...pending, attempts: pending.attempts + 1, nextAttemptAt: Date.now() + waitMs, lastError: result.message }];
  } else if (result.state === 'failed') {
    await refusedFlags.setValue([
      { id: pending.id, inputs: pending.inputs, code: result.code, message: result.message, at: Date.now() },
      ...(await refusedFlags.getValue()),
    ]);
  }
  await outbox.setValue(next);
  await scheduleNext(next);
  return result.state === 'retry' ? { state: 'queued', message: result.message } : result;
}

/**
 * Sends every pending flag that is due (or all, when asked to retry now) and schedules the next attempt.
 * Runs whenever the background starts too: alarms do not always survive a browser restart.
 */
export async function flushOutbox({ force = false } = {}): Promise<PendingFlag[]> {
  const due = (await outbox.getValue()).filter((p) => force || p.nextAttemptAt <= Date.now());
  for (const pending of due) {
    const outcome = await deliver(pending);
    if (outcome.state !== 'queued') {
      await recordActivity({
        source: 'outbox',
        state: outcome.state,
        message: outcome.state === 'sent' ? 'Queued flag delivered' : outcome.message,
        results: outcome.state === 'sent' ? outcome.results : undefined,
      });
    }
  }
  const rest = await outbox.getValue();
  await scheduleNext(rest);
  return rest;
}

/** The analyst has read why a flag was refused. */
export async function dismissRefused(id: string) {
  const rest = (await refusedFlags.getValue()).filter((r) => r.id !== id);
  await refusedFlags.setValue(rest);
  return rest;
}

export const OUTBOX_ALARM = ALARM;
