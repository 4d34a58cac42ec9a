import { storage } from '#imports';
import type { Navigation } from './navigation-chain';
import type { FlagInput, FlagResult } from '../../shared';
import type { StoredPrefixCopy } from '../../shared/client';

declare const __FLAGLINE_DEFAULT_API__: string;
/** Workbench domains the build ships (FLAGLINE_WORKBENCH, comma-separated); the options page changes them. */
declare const __FLAGLINE_WORKBENCH__: string;
export const DEFAULT_ENDPOINT = __FLAGLINE_DEFAULT_API__;

/** Every stored item, declared once. The key lives in local storage only: never synced across devices. */
export const settings = storage.defineItem<{ endpoint: string; apiKey: string }>('local:settings', {
  fallback: { endpoint: DEFAULT_ENDPOINT, apiKey: '' },
  version: 1,
});

/** Set once the options page has greeted a new install: Chrome reports an unpacked load as a fresh install at every start. */
export const welcomed = storage.defineItem<boolean>('local:welcomed', { fallback: false, version: 1 });

/** The organization's own consoles (merchant onboarding, app review): pages Flagline reads for indicators but never proposes. */
export const workbenchDomains = storage.defineItem<string[]>('local:workbenchDomains', {
  fallback: __FLAGLINE_WORKBENCH__
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean),
  version: 1,
});

export const safeViewEnabled = storage.defineItem<boolean>('local:safeView', { fallback: true, version: 1 });

export interface PendingFlag {
  id: string;
  /** Sent with every attempt, so the server records the flag once however often we retry. */
  idempotencyKey: string;
  inputs: FlagInput[];
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}
export const outbox = storage.defineItem<PendingFlag[]>('local:outbox', { fallback: [], version: 1 });

/** A flag the API refused for good (not a retryable failure): kept, with why, until the analyst dismisses it. */
export interface RefusedFlag {
  id: string;
  inputs: FlagInput[];
  code: string;
  message: string;
  at: number;
}
export const refusedFlags = storage.defineItem<RefusedFlag[]>('local:refusedFlags', { fallback: [], version: 1 });

export interface ActivityItem {
  at: number;
  source: 'popup' | 'context-menu' | 'shortcut' | 'bulk' | 'outbox';
  state: 'sent' | 'queued' | 'failed';
  message: string;
  results?: FlagResult[];
}
export const activity = storage.defineItem<ActivityItem[]>('local:activity', { fallback: [], version: 1 });

/**
 * The signing key trusted per API endpoint, by fingerprint: pinned on the first sync, moved only by a rotation
 * statement the pinned key signed, or by the analyst in the options page (shared/client/key-pin.ts).
 */
export const keyPins = storage.defineItem<Record<string, string>>('local:keyPins', { fallback: {}, version: 1 });

/** The local copy of the list: the signed prefix set plus the exact changes after it. */
export const prefixCopy = storage.defineItem<StoredPrefixCopy | null>('local:prefixCopy', { fallback: null, version: 1 });

export interface SyncState {
  lastSyncAt: number | null;
  lastError: string | null;
  failures: number;
  pollAfterSeconds: number;
}
export const syncState = storage.defineItem<SyncState>('local:syncState', {
  fallback: { lastSyncAt: null, lastError: null, failures: 0, pollAfterSeconds: 300 },
  version: 1,
});

/** Per tab; session storage, since the background may sleep between hops. */
export const navigations = storage.defineItem<Record<string, Navigation>>('session:navigations', { fallback: {} });
