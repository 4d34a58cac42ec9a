import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { CONSENSUS_STATUS, EMPTY_CHECKSUM, expressionHash, expressionOf, prefixOf, stixIndicatorId, updateChecksum, type SnapshotEntry } from '../../shared';
import { ROOT } from './worker-process';

// D1 caps a bound string at about a megabyte: 2,000 rows of JSON stay well under it; 10 of them per batch.
const CHUNK = 2_000;
const CHUNKS_PER_BATCH = 10;

// One change per entry, exactly as the list's writer (worker/src/services/list-state.ts) would write it for a
// reviewer-confirmed listing: the indicator row with its hash prefix and list version, and the change row with
// the next version, the checksum after it and its STIX id.
const INSERT_INDICATORS = `INSERT INTO indicators (id, kind, value, status, reasons, org_count, confirmed, created_at, updated_at, list_version, hash_prefix)
  SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, ?2, j.value ->> 3, 0, 1, ?3, ?3, j.value ->> 4, j.value ->> 5 FROM json_each(?1) AS j`;
const INSERT_CHANGES = `INSERT INTO changes (version, indicator_id, op, kind, value, status, reasons, org_count, checksum, created_at, stix_id)
  SELECT j.value ->> 4, j.value ->> 0, 'upsert', j.value ->> 1, j.value ->> 2, ?2, j.value ->> 3, 0, j.value ->> 6, ?3, j.value ->> 7 FROM json_each(?1) AS j`;

/** The local D1 id wrangler.jsonc names: Miniflare keeps a database's file under it. */
function databaseId(): string {
  const source = readFileSync(join(ROOT, 'wrangler.jsonc'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  return (JSON.parse(source) as { d1_databases: { database_id: string }[] }).d1_databases[0]!.database_id;
}

/**
 * Loads `entries` as listed indicators into the local D1 of a stopped `wrangler dev` (its --persist-to
 * directory, migrations applied), 2,000 rows a statement. Versions, checksums, hash prefixes and STIX ids
 * come from the contract's own functions, so the worker serves a consistent list: the head checksum is the
 * sum over the entries, every change replays, the prefix set holds every entry.
 */
export async function seedListed(persistDir: string, entries: SnapshotEntry[]): Promise<{ version: number; checksum: string }> {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch: () => new Response(null, { status: 204 }) }',
    d1Databases: { DB: databaseId() },
    d1Persist: join(persistDir, 'v3', 'd1'),
  });
  try {
    const db = await mf.getD1Database('DB');
    const start = await db
      .prepare('SELECT COALESCE(MAX(version), 0) AS version, (SELECT checksum FROM changes ORDER BY version DESC LIMIT 1) AS checksum FROM changes')
      .first<{
        version: number;
        checksum: string | null;
      }>();
    let version = start!.version;
    let checksum = start!.checksum ?? EMPTY_CHECKSUM;
    const at = new Date().toISOString();
    let batch: ReturnType<typeof db.prepare>[] = [];
    for (let offset = 0; offset < entries.length; offset += CHUNK) {
      const rows = entries.slice(offset, offset + CHUNK).map((entry) => {
        version++;
        const listed = { kind: entry.kind, value: entry.value, status: CONSENSUS_STATUS };
        checksum = updateChecksum(checksum, null, listed);
        const expression = expressionOf(entry);
        return [
          `ind_seed${version}`,
          entry.kind,
          entry.value,
          JSON.stringify(entry.reasons),
          version,
          prefixOf(expressionHash(expression)),
          checksum,
          stixIndicatorId(entry.kind, entry.value),
        ];
      });
      const json = JSON.stringify(rows);
      batch.push(db.prepare(INSERT_INDICATORS).bind(json, CONSENSUS_STATUS, at), db.prepare(INSERT_CHANGES).bind(json, CONSENSUS_STATUS, at));
      if (batch.length === 2 * CHUNKS_PER_BATCH || offset + CHUNK >= entries.length) {
        await db.batch(batch);
        batch = [];
      }
    }
    return { version, checksum };
  } finally {
    await mf.dispose();
  }
}
