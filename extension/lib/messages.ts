import { browser } from '#imports';
import type { FlagInput, FlagResult, Indicator, ListEntry, LookupResult, OwnFlagsPage, ParseResult, Reason, Signal, WhoAmI } from '../../shared';
import type { PageItem } from './page-indicators';
import type { ActivityItem, PendingFlag, RefusedFlag, SyncState } from './storage';

export interface PageEvidence {
  title: string;
  url: string;
  canonicalUrl: string | null;
  signals: Signal[];
  redirectChain: string[];
  /** The page's web links: read to list what the page shows, never sent as evidence. */
  links: string[];
  /** Frames of the page that could not be read (their origin, and why), so the popup can say what it missed. */
  unreadFrames: { origin: string; reason: string }[];
}

/** What the popup needs to show for the current tab. */
export interface PopupState {
  configured: boolean;
  tabUrl: string | null;
  /** Why the active tab cannot be flagged at all (not a web page); the popup offers nothing else instead. */
  unflaggable: string | null;
  target: ParseResult | null;
  lookup: LookupResult | { failure: string } | null;
  suggestedReason: Reason;
  evidence: PageEvidence | null;
  /** Merchant ids, apps, handles and wallets the page shows, each flaggable on its own. */
  detected: { signal: Signal; indicator: Indicator; reason: Reason }[];
  /** On a workbench page: the console's host and every indicator the page shows, with its status, most likely first. */
  workbench: { host: string; items: PageItem[] } | null;
  /** On a page that cannot be flagged: how to make it a workbench console, if it is one. */
  consoleHint: string | null;
  /** The page's payment ids, apps and handles that are on the list (decided locally): a mirror of a listed service. */
  paysInto: { indicator: Indicator; entry: ListEntry }[];
  pending: PendingFlag[];
  /** Flags the API refused for good, until the analyst dismisses them. */
  refused: RefusedFlag[];
  activity: ActivityItem[];
}

/** What the side panel shows for the active tab: its indicators (decided locally) and its links, or why it cannot. */
export interface PanelPage {
  url: string | null;
  unreadable: string | null;
  items: PageItem[];
  links: string[];
}

export type FlagOutcome = { state: 'sent'; results: FlagResult[] } | { state: 'queued'; message: string } | { state: 'failed'; code: string; message: string };

/** The one protocol between the extension's pages and its background; the background alone talks to the API. */
export interface Protocol {
  'popup:init': { req: { windowId?: number }; res: PopupState };
  'flag:submit': { req: { inputs: FlagInput[]; source: ActivityItem['source'] }; res: FlagOutcome };
  'flags:mine': { req: { before?: string }; res: OwnFlagsPage | { failure: string } };
  'settings:test': { req: { endpoint: string; apiKey: string }; res: WhoAmI | { failure: string } };
  'sync:now': { req: void; res: SyncState & { version: number; size: number } };
  /** The signing key's fingerprint trusted for the connected API; `repin` trusts the key it serves now. */
  'keys:pinned': { req: void; res: { fingerprint: string | null } };
  'keys:repin': { req: void; res: SyncState & { version: number; size: number; fingerprint: string | null } };
  'outbox:retry': { req: void; res: PendingFlag[] };
  'refused:list': { req: void; res: RefusedFlag[] };
  'refused:dismiss': { req: { id: string }; res: RefusedFlag[] };
  /** The side panel: the active tab's indicators decided locally; the rest by one lookup; pasted lines; marks in the page. */
  'panel:page': { req: { windowId?: number }; res: PanelPage };
  'panel:lookup': { req: { items: PageItem[] }; res: PageItem[] | { failure: string } };
  'panel:lines': { req: { lines: string[] }; res: { items: PageItem[]; unreadable: { line: string; message: string }[] } };
  'panel:mark': { req: { windowId?: number; hrefs: string[] }; res: number };
  /** The reviewer and admin pages' calls, by operation name (lib/console-ops.ts). */
  'console:call': { req: { op: string; params: unknown }; res: { ok: unknown } | { failure: string; code: string } };
}

export type MessageType = keyof Protocol;
export interface Message<K extends MessageType = MessageType> {
  type: K;
  payload: Protocol[K]['req'];
}

export function send<K extends MessageType>(type: K, ...payload: Protocol[K]['req'] extends void ? [] : [Protocol[K]['req']]): Promise<Protocol[K]['res']> {
  return browser.runtime.sendMessage({ type, payload: payload[0] }) as Promise<Protocol[K]['res']>;
}

export type Handlers = { [K in MessageType]: (payload: Protocol[K]['req']) => Promise<Protocol[K]['res']> };

/** Background side: one listener, one handler per message type. */
export function handleMessages(handlers: Handlers): void {
  browser.runtime.onMessage.addListener((message: unknown, sender) => {
    if (sender.id !== browser.runtime.id) return undefined;
    const { type, payload } = message as Message;
    const handler = handlers[type] as ((payload: unknown) => Promise<unknown>) | undefined;
    return handler?.(payload);
  });
}
