import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { FEED_SQL } from '../../worker/src/db/change-feed';
import { CHANGES_PAGE_SQL } from '../../worker/src/db/changes';
import { LIVE_FLAGS_SQL } from '../../worker/src/db/flags';
import { INDICATORS_BY_KEY_SQL } from '../../worker/src/db/indicators';
import { FULL_HASHES_SQL, PREFIX_RANGE_SQL } from '../../worker/src/db/prefixes';
import { EXPIRING_SQL, OPEN_CASES_SQL, WAITING_SQL } from '../../worker/src/db/review-queue';
import { SERVICE_ENTRIES_SQL, SERVICE_MEMBERS_SQL, SERVICES_FOR_SQL } from '../../worker/src/db/services';
import { CHANGED_AFTER_SQL, LISTED_PAGE_SQL } from '../../worker/src/db/snapshots';

/*
 * Every hot read must use an index: at a million entries a full scan of indicators or changes costs half a
 * second per call (the extension calls /v1/hashes on every prefix hit). Checked on the real migrations with
 * EXPLAIN QUERY PLAN, statement by statement, with the parameters the code binds.
 */
const HOT_READS: [string, string, unknown[], RegExp?][] = [
  ['full hashes by prefix (POST /v1/hashes)', FULL_HASHES_SQL, ['[1,2,3]'], /USING INDEX indicators_on_list_by_prefix \(hash_prefix=\?\)/],
  ['a prefix-set range (GET /v1/prefixes)', PREFIX_RANGE_SQL, [-1, 100_000], /USING (COVERING )?INDEX indicators_on_list_by_prefix \(hash_prefix>\?\)/],
  ['a snapshot page (GET /v1/list)', LISTED_PAGE_SQL, [null, null, 10, '', '', 10_000], /USING INDEX indicators_on_list_by_key \(\(kind,value\)>\(\?,\?\)\)/],
  [
    'a filtered snapshot page',
    LISTED_PAGE_SQL,
    ['["domain","host"]', 'payment_front', 10, 'domain', 'a-demo.net', 10_000],
    /USING INDEX indicators_on_list_by_key/,
  ],
  ['rows changed after a snapshot version', CHANGED_AFTER_SQL, [null, null, 10]],
  ['lookups and the writer: indicators by kind and value', INDICATORS_BY_KEY_SQL, ['[{"kind":"domain","value":"a-demo.net"}]']],
  ['the writer: live flags of indicators', LIVE_FLAGS_SQL, ['[{"kind":"domain","value":"a-demo.net"}]']],
  ['a delta page (GET /v1/changes)', CHANGES_PAGE_SQL, [10, 1000]],
  ['a TAXII page, latest versions', FEED_SQL, [10, null, 1000, null, '["last"]', '[]']],
  ['TAXII objects by id', FEED_SQL, [0, null, 1000, '["indicator--x"]', '["all"]', '[]']],
  ['the review queue: reported indicators', WAITING_SQL.reports, [100], /USING INDEX indicators_reported/],
  ['the review queue: disputed indicators', WAITING_SQL.disputes, [100], /USING INDEX indicators_disputed/],
  ['the review queue: listings about to expire', EXPIRING_SQL, ['["url","host"]', '2026-01-01', 100]],
  ['the review queue: open cases by deadline', OPEN_CASES_SQL, [100], /disputes_open_by_(deadline|target)/],
  ['the writer: services of identifiers and indicators', SERVICES_FOR_SQL, ['["merchant:stripe:acct_x"]', '[{"kind":"domain","value":"a-demo.net"}]']],
  ['a service decision: its members', SERVICE_MEMBERS_SQL, ['["svc_x"]', 5001], /USING (COVERING )?INDEX indicators_by_service/],
  ['GET /v1/services/{id}', SERVICE_ENTRIES_SQL, ['svc_x', 5001], /USING INDEX indicators_by_service/],
];

describe('query plans of the hot reads', () => {
  it.each(HOT_READS)('should read %s through an index, never a full scan', async (_name, sql, params, expected) => {
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    const details = results.map((r) => r.detail);
    // "SCAN t" reads every row of a table (or all of one of its indexes); SEARCH goes through an index.
    // Scanning the JSON parameter (j, json_each) or a subquery's own result (last) is not a table scan.
    // Walking a partial index of one waiting status (a few rows among a million) is bounded by design.
    // Open cases likewise: the partial index of open disputes, grouped into cases (c) and sorted by deadline; their
    // number is bounded by the appeal limits, not by the list's size.
    const scans = details.filter(
      (d) => /^SCAN (?!(j|json_each|last|c)\b)/.test(d) && !/USING INDEX (indicators_(reported|disputed)|disputes_open_by_target)$/.test(d),
    );
    expect(scans, details.join(' | ')).toEqual([]);
    // A page sorted after reading would read every row after the cursor: pages come in index order.
    expect(
      details.filter((d) => /TEMP B-TREE FOR ORDER BY/.test(d) && sql !== OPEN_CASES_SQL),
      details.join(' | '),
    ).toEqual([]);
    if (expected)
      expect(
        details.some((d) => expected.test(d)),
        details.join(' | '),
      ).toBe(true);
  });
});
