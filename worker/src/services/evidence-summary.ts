/** Signal types in some flags' stored evidence, each counted once per flag, most common first: what reviewers scan. */
export function signalCounts(flags: readonly { evidence: string | null }[]): { type: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const flag of flags) {
    const evidence = flag.evidence ? (JSON.parse(flag.evidence) as { signals?: { type: string }[] }) : null;
    for (const type of new Set((evidence?.signals ?? []).map((s) => s.type))) counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count);
}
