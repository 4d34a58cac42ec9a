import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { it } from 'vitest';
import {
  expressionHash,
  FORMATS,
  formatWriter,
  prefixOf,
  PrefixSet,
  registrableDomain,
  riceDecode,
  riceEncode,
  tryParseIndicator,
  type ChangesResponse,
  type FormatName,
  type SnapshotMeta,
} from '../../shared';
import { LocalList } from '../../shared/client';
import { syntheticEntries } from '../support/synthetic-list';

/*
 * `npm run bench`: the partner-distribution figures at 1,000,000 synthetic entries, printed side by side.
 * Figures, not pass/fail: the targets are shown next to what was measured.
 */
const N = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const CHANGES = 1_000;
const NAVIGATIONS = 20_000;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const ms = (t: number) => `${t.toFixed(0)} ms`;
const row = (...cells: (string | number)[]) => console.log(cells.map((c, i) => String(c).padEnd(i === 0 ? 28 : 14)).join(''));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

it(`distribution at ${N.toLocaleString()} entries`, async () => {
  const entries = syntheticEntries(N);
  const meta: SnapshotMeta = {
    version: 1_234_567,
    checksum: 'ab'.repeat(32),
    signature: { keyId: 'bench', alg: 'Ed25519', value: 'x' },
    generatedAt: new Date().toISOString(),
  };

  console.log(`\nFlagline distribution benchmark: ${N.toLocaleString()} synthetic entries (Node ${process.version})\n`);
  row('Snapshot format', 'build', 'raw', 'gzip', 'brotli');
  const sizes: Partial<Record<FormatName, number>> = {};
  for (const name of Object.keys(FORMATS) as FormatName[]) {
    const format = FORMATS[name];
    const started = performance.now();
    // Buffers of about 1 MB, as the worker streams them (a million STIX objects outgrow one JS string).
    const buffers: Buffer[] = [];
    const file = formatWriter(format, meta);
    let pending = file.head();
    for (const entry of entries) {
      if (format.kinds && !format.kinds.includes(entry.kind)) continue;
      pending += await file.row(entry);
      if (pending.length > 1_000_000) {
        buffers.push(Buffer.from(pending));
        pending = '';
      }
    }
    buffers.push(Buffer.from(pending + file.tail()));
    const body = Buffer.concat(buffers);
    const built = performance.now() - started;
    sizes[name] = body.length;
    row(name, ms(built), mb(body.length), mb(gzipSync(body).length), mb(brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }).length));
  }

  // Delta: 1,000 changes against re-downloading the whole JSON list.
  const changes: ChangesResponse['changes'] = Array.from({ length: CHANGES }, (_, i) =>
    i % 4 === 0
      ? { version: i + 1, op: 'remove', kind: entries[i * 37]!.kind, value: entries[i * 37]!.value, status: null, reasons: [], orgCount: 0 }
      : { version: i + 1, op: 'upsert', kind: 'domain', value: `new-${i}-demo.net`, status: 'listed', reasons: ['nudify_site'], orgCount: 2 },
  );
  const page = {
    changes,
    next: CHANGES,
    more: false,
    checksum: 'ab'.repeat(32),
    signature: meta.signature,
    changesSignature: meta.signature,
    pollAfterSeconds: 300,
  };
  const deltaBytes = Buffer.byteLength(JSON.stringify(page));
  let started = performance.now();
  const local = await LocalList.fromSnapshot({ version: 0, entries });
  // (checksumming every entry is part of loading a snapshot: a client verifies before it trusts)
  const snapshotLoad = performance.now() - started;
  started = performance.now();
  await local.applyPage(page);
  const deltaApply = performance.now() - started;
  console.log(`\n${'Delta of 1,000 changes'.padEnd(28)}${mb(deltaBytes)} raw, ${mb(gzipSync(JSON.stringify(page)).length)} gzip, applied in ${ms(deltaApply)}`);
  console.log(`${'Full JSON re-download'.padEnd(28)}${mb(sizes.json!)} raw, loaded and checksummed in ${ms(snapshotLoad)}`);
  console.log(`${'Delta / full'.padEnd(28)}1/${Math.round(sizes.json! / deltaBytes)} (target: at most 1/100)`);

  // Prefix set against the entropy bound and naive baselines.
  started = performance.now();
  const hashes = entries.map((e) => expressionHash(`${e.kind}:${e.value}`));
  const prefixes = Uint32Array.from(new Set(hashes.map(prefixOf))).sort();
  const encoded = riceEncode(prefixes);
  const encodeTime = performance.now() - started;
  started = performance.now();
  const set = new PrefixSet(riceDecode(encoded));
  const decodeTime = performance.now() - started;
  const n = prefixes.length;
  let log2Binomial = 0; // log2 C(2^32, n) = sum over i < n of log2((2^32 - i) / (i + 1))
  for (let i = 0; i < n; i++) log2Binomial += Math.log2((2 ** 32 - i) / (i + 1));
  const expressionsJson = Buffer.byteLength(JSON.stringify(entries.map((e) => `${e.kind}:${e.value}`)));
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const naive = new Set(entries.map((e) => `${e.kind}:${e.value}`));
  gc();
  const naiveHeap = process.memoryUsage().heapUsed - heapBefore;
  console.log(
    `\nPrefix set (Rice, k=${encoded.riceParameter})`.padEnd(28) +
      `${mb(encoded.encodedData.length)} (target: at most 2 MB), ${n.toLocaleString()} prefixes, hashed+encoded ${ms(encodeTime)}, decoded ${ms(decodeTime)}`,
  );
  console.log(`${'Entropy bound'.padEnd(28)}${mb(log2Binomial / 8)} (Rice is ${((encoded.encodedData.length * 8) / log2Binomial).toFixed(3)}x the bound)`);
  console.log(`${'Raw 4-byte prefixes'.padEnd(28)}${mb(n * 4)}`);
  console.log(`${'JSON of expressions'.padEnd(28)}${mb(expressionsJson)} (the naive download), ${mb(gzipSync(JSON.stringify([...naive])).length)} gzip`);
  console.log(`${'Set<string> in memory'.padEnd(28)}~${mb(naiveHeap)} heap, against ${mb(set.prefixes.byteLength)} for the decoded prefix set`);

  // A local check per navigation: parse the URL, hash its url/host/domain expressions, look each up.
  const domains = entries.filter((e) => e.kind === 'domain');
  const urls = Array.from({ length: NAVIGATIONS }, (_, i) =>
    i % 10 === 0 ? `https://www.${domains[(i * 7919) % domains.length]!.value}/gallery?i=${i}` : `https://news-${i}.example-demo.org/article/${i}`,
  );
  const timings: number[] = [];
  let hits = 0;
  for (const url of urls) {
    const t = performance.now();
    const parsed = tryParseIndicator(url);
    const host = new URL(url).hostname;
    const expressions = new Set([parsed.ok ? `${parsed.indicator.kind}:${parsed.indicator.value}` : '', `host:${host}`, `domain:${registrableDomain(host)}`]);
    expressions.delete('');
    for (const expression of expressions) if (set.has(prefixOf(expressionHash(expression)))) hits++;
    timings.push(performance.now() - t);
  }
  timings.sort((a, b) => a - b);
  console.log(
    `\n${'Local check per navigation'.padEnd(28)}p50 ${percentile(timings, 0.5).toFixed(3)} ms, p99 ${percentile(timings, 0.99).toFixed(3)} ms (target: p99 under 1 ms), ${NAVIGATIONS.toLocaleString()} navigations, ${hits.toLocaleString()} prefix hits`,
  );
  console.log(`${'Memory'.padEnd(28)}${mb(process.memoryUsage().heapUsed)} heap in use, ${mb(process.memoryUsage().rss)} RSS for the whole run\n`);
}, 600_000);
