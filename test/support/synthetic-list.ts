import type { SnapshotEntry } from '../../shared';

/**
 * n invented list entries in (kind, value) order, shaped like a grown list: mostly domains, then hosts, URLs,
 * merchants, wallets and handles. Every name is under *-demo.net or plainly made up.
 */
export function syntheticEntries(n: number): SnapshotEntry[] {
  const entries: SnapshotEntry[] = [];
  for (let i = 0; i < n; i++) {
    const r = i % 20;
    const [kind, value] =
      r < 13
        ? ['domain', `site-${i.toString(36)}-demo.net`]
        : r < 15
          ? ['host', `cdn${i % 7}.mirror-${i.toString(36)}-demo.net`]
          : r < 17
            ? ['url', `https://files-${i.toString(36)}-demo.net/pay/${i}`]
            : r < 18
              ? ['merchant', `stripe:acct_1Demo${i.toString(36).padStart(11, '0')}`]
              : r < 19
                ? ['wallet', `eth:0x${i.toString(16).padStart(40, '0')}`]
                : ['handle', `telegram:demo_bot_${i.toString(36)}`];
    entries.push({ kind: kind as SnapshotEntry['kind'], value, status: 'listed', reasons: ['nudify_site'], orgCount: 2 + (i % 5) });
  }
  return entries.sort((a, b) => (a.kind === b.kind ? (a.value < b.value ? -1 : 1) : a.kind < b.kind ? -1 : 1));
}
