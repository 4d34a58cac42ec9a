import { tryParseIndicator } from '../../shared';
import type { FlagOutcome } from './messages';
import { showBadge } from './badge';
import { submitFlags } from './outbox';
import { activeTab, collectEvidence, isWebUrl, toEvidence } from './page-evidence';
import { suggestReason } from './page-target';
import type { ActivityItem } from './storage';

/** Flags a target without opening the popup (context menu, shortcut), showing the result on the badge. */
export async function quickFlag(target: string, source: ActivityItem['source'], tab?: { id: number; url: string }): Promise<FlagOutcome> {
  const parsed = tryParseIndicator(target);
  const evidence = tab ? await collectEvidence(tab.id, tab.url) : null;
  const reason = suggestReason(parsed.ok ? parsed.indicator : null, evidence?.signals ?? [], target);
  const outcome = parsed.ok
    ? await submitFlags([{ target, reason, ...(evidence ? { evidence: toEvidence(evidence) } : {}) }], source)
    : ({ state: 'failed', code: parsed.error.code, message: parsed.error.message } as const);
  if (tab) {
    await showBadge(tab.id, {
      text: outcome.state === 'sent' ? '✓' : outcome.state === 'queued' ? '…' : '✗',
      title: `Flagline: ${outcome.state === 'sent' ? 'flagged' : outcome.message}`,
    });
  }
  return outcome;
}

export async function flagCurrentTab(): Promise<FlagOutcome | null> {
  const tab = await activeTab();
  return tab && isWebUrl(tab.url) ? quickFlag(tab.url, 'shortcut', tab) : null;
}
