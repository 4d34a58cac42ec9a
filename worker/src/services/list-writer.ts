import { DurableObject } from 'cloudflare:workers';
import { indicatorOfKey } from '../../../shared';
import { config } from '../config';
import { ApiError } from '../errors';
import { changeOrgStatus } from './suspension';
import { expirePage } from './expiry';
import { planFlags } from './flagging';
import { ListState } from './list-state';
import { planReview } from './review';
import { changeService } from './service-decisions';
import { planWithdraw } from './withdrawal';
import { indicatorsOf, isGroupable, type WriteCommand, type WriteOutcome } from './write-commands';

interface Queued {
  command: WriteCommand;
  resolve: (outcome: WriteOutcome) => void;
}

/** Flag inputs per group: a D1 batch of a few thousand statements commits in tens of milliseconds. */
const MAX_GROUP_INPUTS = 1000;

const asOutcome = (error: unknown): WriteOutcome => {
  if (error instanceof ApiError)
    return { ok: false, status: error.status, code: error.code, message: error.message, fields: error.fields, retryAfter: error.retryAfter };
  console.error(JSON.stringify({ writer: 'ListWriter', error: String(error), stack: error instanceof Error ? error.stack : undefined }));
  return { ok: false, status: 500, code: 'internal_error', message: 'The list could not be written; retry with the same Idempotency-Key.' };
};

/** A write whose key was revoked, or whose organization was suspended, after it was authenticated counts for nothing. */
function refuseUnlessStanding(state: ListState, keyId: string): void {
  const refusal = state.refusal(keyId);
  if (refusal === 'key_revoked') throw new ApiError(401, 'unauthorized', 'This API key was revoked before the write was committed; nothing was written.');
  if (refusal === 'org_suspended')
    throw new ApiError(403, 'org_suspended', "This key's organization was suspended before the write was committed; nothing was written.");
}

/**
 * The list's single writer (one instance per deployment, named "list"). Writes queue here; whatever
 * arrives while a batch commits is planned together against fresh state and committed as one D1 batch
 * (group commit), with versions and checksums assigned in order. Nothing races, so nothing is retried:
 * unrelated flags never conflict. Reads never come here; they go to D1 directly.
 */
export class ListWriter extends DurableObject<Env> {
  private readonly queue: Queued[] = [];
  private draining = false;

  /** RPC entry point: resolves when the command is committed (or refused), with that command's own outcome. */
  write<C extends WriteCommand>(command: C): Promise<WriteOutcome<C['type']>> {
    return new Promise((resolve) => {
      // The planners answer each command with its own type (WriteBodies); the queue holds them all.
      this.queue.push({ command, resolve: resolve as (outcome: WriteOutcome) => void });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) {
        const group = this.takeGroup();
        if (group.length === 1 && !isGroupable(group[0]!.command)) await this.runAlone(group[0]!);
        else await this.commitGroup(group);
      }
    } finally {
      this.draining = false;
    }
  }

  /** Consecutive flags and reviews up to the input cap; a solo command waits for its own turn. */
  private takeGroup(): Queued[] {
    if (!isGroupable(this.queue[0]!.command)) return this.queue.splice(0, 1);
    let inputs = 0;
    let n = 0;
    while (n < this.queue.length && isGroupable(this.queue[n]!.command)) {
      inputs += indicatorsOf(this.queue[n]!.command).length;
      if (n > 0 && inputs > MAX_GROUP_INPUTS) break;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async commitGroup(group: Queued[]): Promise<void> {
    let outcomes: WriteOutcome[];
    try {
      outcomes = await this.planAndCommit(group.map((q) => q.command));
    } catch (error) {
      if (group.length === 1) {
        group[0]!.resolve(asOutcome(error));
        return;
      }
      // One bad write must not sink its neighbours: commit each on its own.
      for (const queued of group) await this.commitGroup([queued]);
      return;
    }
    for (const [i, queued] of group.entries()) queued.resolve(outcomes[i]!);
  }

  private async planAndCommit(commands: WriteCommand[]): Promise<WriteOutcome[]> {
    const { LISTING_THRESHOLD, FLAGS_PER_ORG_PER_HOUR } = config(this.env);
    const claims = commands.flatMap((c) => (c.type === 'flag' ? [c.claim] : []));
    const serviceKeys = commands.flatMap((c) => (c.type === 'flag' ? c.inputs.flatMap((i) => i.serviceKeys) : []));
    const keys = [...new Set(serviceKeys)];
    // Identifiers that are indicators are loaded too: a flagged merchant id joins the service its identifier does.
    const siblings = keys.flatMap((key) => indicatorOfKey(key) ?? []);
    const callers = commands.flatMap((c) => ('caller' in c ? [c.caller] : []));
    const state = await ListState.load(this.env.DB, [...commands.flatMap(indicatorsOf), ...siblings], claims, keys, callers);
    const outcomes = commands.map((command): WriteOutcome => {
      try {
        if ('caller' in command) refuseUnlessStanding(state, command.caller.keyId);
        switch (command.type) {
          case 'flag':
            return planFlags(state, command, { threshold: LISTING_THRESHOLD, flagBudget: FLAGS_PER_ORG_PER_HOUR });
          case 'review':
            return planReview(state, command);
          case 'withdraw':
            return planWithdraw(state, command, LISTING_THRESHOLD);
          case 'org-status':
          case 'expire':
          case 'service':
            throw new Error(`${command.type} runs alone, never in a group`);
          default:
            return command satisfies never;
        }
      } catch (error) {
        return asOutcome(error);
      }
    });
    await state.commit();
    return outcomes;
  }

  private async runAlone({ command, resolve }: Queued): Promise<void> {
    try {
      if (command.type === 'org-status') resolve(await changeOrgStatus(this.env.DB, command, config(this.env).LISTING_THRESHOLD));
      else if (command.type === 'expire') resolve(await expirePage(this.env.DB, command));
      else if (command.type === 'service') resolve(await changeService(this.env.DB, command));
      else resolve(asOutcome(new Error(`${command.type} runs in a group`)));
    } catch (error) {
      resolve(asOutcome(error));
    }
  }
}
