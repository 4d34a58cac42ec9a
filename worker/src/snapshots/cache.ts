/*
 * Snapshots and prefix sets are cached with the Cache API, keyed by version. Why the Cache API: a version
 * never changes once written, so any cached copy is correct forever; it needs no extra binding, holds
 * objects far larger than KV's 25 MB (a million-entry JSON list is ~110 MB), and a miss just rebuilds from
 * D1 in pages. R2 would add durability across data centers at the price of a bucket to run; worth it once
 * rebuilds show up in D1's read budget.
 */

/** A version's copy never changes, so it may live as long as the cache keeps it. */
export const IMMUTABLE = { 'cache-control': 'public, max-age=31536000, immutable' };

/** One key scheme for everything cached per version: `name` says what (a format and filter, or the prefix set). */
export const versionCacheKey = (version: number, name: string) => `https://snapshots.flagline.internal/v${version}/${name}`;
