import { ApiError } from '../errors';
import type { WriteBodies, WriteCommand, WriteOutcome } from './write-commands';

/**
 * Hands a command to the list's single writer and waits for it to be committed. Refusals come back as
 * data (RPC keeps an error's message, not its fields) and are raised here as the API error they are.
 */
export async function writeList<C extends WriteCommand>(env: Env, command: C): Promise<{ status: 200 | 201; body: WriteBodies[C['type']]; replayed: boolean }> {
  const writer = env.LIST_WRITER.get(env.LIST_WRITER.idFromName('list'));
  // RPC carries plain data and forgets the generic: the writer answers each command with its own type.
  const outcome = (await writer.write(command)) as WriteOutcome<C['type']>;
  if (!outcome.ok) {
    if (outcome.status >= 500) throw new Error(outcome.message);
    throw new ApiError(outcome.status, outcome.code, outcome.message, outcome.fields, outcome.retryAfter);
  }
  return { status: outcome.status === 201 ? 201 : 200, body: outcome.body, replayed: outcome.replayed === true };
}
