import type { ZodType } from 'zod';
import { ApiFailure, callApi, type ApiRequest, type Connection } from '../../shared/client';
import { settings } from './storage';

export { ApiFailure, failureMessage } from '../../shared/client';

/** The stored endpoint and key, or a clear failure when the analyst has not connected yet. */
export async function connection(override?: Connection): Promise<Connection> {
  const conn = override ?? (await settings.getValue());
  if (!conn.apiKey) throw new ApiFailure('not_configured', 'Add your Flagline API key in the options first.', false);
  return conn;
}

/**
 * One call to the Flagline API with the stored key, parsed with the shared schema. No retries here: the
 * outbox and the list sync schedule their own, across service-worker restarts, by the shared retry rule.
 */
export async function api<T>(schema: ZodType<T>, path: string, init: ApiRequest = {}, override?: Connection): Promise<T> {
  return callApi(await connection(override), schema, path, init);
}
