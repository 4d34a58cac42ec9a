import { browser } from '#imports';
import { FlagResponse, type FlagInput } from '../../shared';
import { api, ApiFailure, failureMessage } from './api';
import type { FlagOutcome } from './messages';
import { activity, outbox, type ActivityItem, type PendingFlag } from './storage';

const ALARM = 'outbox';
const MAX_BACKOFF_MS = 15 * 60_000;

const backoff = (attempts: number) => Math.min(MAX_BACKOFF_MS, 5_000 * 2 ** attempts) * (0.75 + Math.random() / 2);

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

async function attempt(pending: PendingFlag): Promise<FlagOutcome> {
  try {
    const body = pending.inputs.length === 1 ? pending.inputs[0] : { flags: pending.inputs };
    const { results } = await api(FlagResponse, '/v1/flags', { method: 'POST', body, headers: { 'idempotency-key': pending.idempotencyKey } });
    return { state: 'sent', results };
  } catch (error) {
    if (error instanceof ApiFailure && error.retryable) return { state: 'queued', message: error.message };
    return { state: 'failed', code: error instanceof ApiFailure ? error.code : 'error', message: failureMessage(error) };
  }
}

/**
 * Flags go through the outbox: stored first with their Idempotency-Key, then sent. Unreachable API or
 * 5xx keeps them for a retry with backoff (surviving browser restarts); the key makes delivery exactly once.
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

/** One delivery attempt for one pending flag, updating the outbox with the result. */
async function deliver(pending: PendingFlag): Promise<FlagOutcome> {
  const outcome = await attempt(pending);
  const queue = await outbox.getValue();
  const rest = queue.filter((p) => p.id !== pending.id);
  const next =
    outcome.state === 'queued'
      ? [...rest, { ...pending, attempts: pending.attempts + 1, nextAttemptAt: Date.now() + backoff(pending.attempts), lastError: outcome.message }]
      : rest;
  await outbox.setValue(next);
  await scheduleNext(next);
  return outcome;
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
      await recordActivity({ source: 'outbox', state: outcome.state, message: outcome.state === 'sent' ? 'Queued flag delivered' : outcome.message, results: outcome.state === 'sent' ? outcome.results : undefined });
    }
  }
  const rest = await outbox.getValue();
  await scheduleNext(rest);
  return rest;
}

export const OUTBOX_ALARM = ALARM;
