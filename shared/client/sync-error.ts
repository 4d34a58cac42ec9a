/** Why a sync stopped, and whether trying again later could help. */
export class SyncError extends Error {
  constructor(
    readonly code: 'network' | 'http' | 'bad_signature' | 'checksum_mismatch' | 'bad_response' | 'key_not_pinned',
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}
