import { base64, hex } from '@scure/base';
import { afterAll, it } from 'vitest';
import { expressionHash, expressionOf, FORMAT_NAMES, prefixOf, prefixSetChecksum, riceDecode, type ListResponse, type PrefixSetResponse } from '../../shared';
import { LocalList } from '../../shared/client';
import { seedListed } from '../support/seed-list';
import { syntheticEntries } from '../support/synthetic-list';
import { WorkerProcess } from '../support/worker-process';

/*
 * `npm run bench:worker`: the worker itself at N listed indicators (BENCH_ENTRIES, default 1,000,000) and at
 * N/10, so the growth shows. Each size gets a fresh `wrangler dev` on its own port and local D1, seeded with
 * the contract's own versions, checksums and prefixes (test/support/seed-list.ts). Every figure is measured
 * over HTTP as a partner sees it; the worker's peak JS heap (buffers included) is sampled over the inspector
 * port while each request runs, after a full collection, so a request is charged only for what it holds itself. Figures, not pass/fail: the targets are printed beside them.
 */
const N = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const HEAP_LIMIT_MB = 64;

/** Polls Runtime.getHeapUsage over wrangler's inspector while a request runs; reports the peak. */
class HeapSampler {
  private next = 0;
  private readonly waiting = new Map<number, (result: { usedSize: number; backingStorageSize?: number }) => void>();

  private constructor(
    private readonly socket: WebSocket,
    private readonly endpoint: string,
  ) {
    socket.onmessage = (message) => {
      const { id, result } = JSON.parse(String(message.data)) as { id?: number; result?: { usedSize: number; backingStorageSize?: number } };
      if (id !== undefined && this.waiting.has(id)) {
        this.waiting.get(id)!(result!);
        this.waiting.delete(id);
      }
    };
  }

  static connect(port: number, endpoint: string): Promise<HeapSampler> {
    // wrangler's inspector proxy wants an Origin header (Node's WebSocket takes headers as an option).
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { origin: `http://127.0.0.1:${port}` } } as unknown as string[]);
    return new Promise((resolve, reject) => {
      socket.onopen = () => resolve(new HeapSampler(socket, endpoint));
      socket.onerror = () => reject(new Error(`no inspector on port ${port}`));
    });
  }

  private call(method: string): Promise<{ usedSize: number; backingStorageSize?: number }> {
    const id = --this.next;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.socket.send(JSON.stringify({ id, method }));
    });
  }

  /**
   * A full collection before a measurement, so its peak is what that request holds, not what earlier ones left.
   * workerd runs inspector commands when the isolate is entered: a /health request lets it in.
   */
  async collect(endpoint: string): Promise<void> {
    const collected = this.call('HeapProfiler.collectGarbage');
    for (let i = 0; i < 20; i++) {
      // A kept-alive socket that wrangler dev closed between calls fails at once: the next round tries again.
      await fetch(`${endpoint}/health`).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      );
      // The answer comes once the isolate has run the command; another request lets it in again if not yet.
      if (await Promise.race([collected.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 100))])) return;
    }
  }

  /** Bytes in use: the JS heap and the ArrayBuffers' backing stores. */
  async usage(): Promise<number> {
    const result = await this.call('Runtime.getHeapUsage');
    return result.usedSize + (result.backingStorageSize ?? 0);
  }

  async peakDuring<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
    if (process.env.BENCH_NO_HEAP) return { result: await work(), peakMb: Number.NaN };
    await this.collect(this.endpoint);
    let peak = await this.usage();
    let done = false;
    const sampling = (async () => {
      while (!done) {
        peak = Math.max(peak, await this.usage());
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    try {
      const result = await work();
      return { result, peakMb: Math.max(peak, await this.usage()) / 2 ** 20 };
    } finally {
      done = true;
      await sampling;
    }
  }

  close() {
    this.socket.close();
  }
}

interface Timed {
  firstByteMs: number;
  totalMs: number;
  bytes: number;
  text: string | null;
}

/** One GET or POST as a partner makes it (gzip accepted), timed to its first body byte and to its end. */
async function timed(
  worker: WorkerProcess,
  key: string,
  path: string,
  { body, keepText = false, headers = {} }: { body?: unknown; keepText?: boolean; headers?: Record<string, string> } = {},
): Promise<Timed> {
  const started = performance.now();
  if (process.env.BENCH_TRACE) console.log(new Date().toISOString(), 'start', path);
  const res = await fetch(`${worker.endpoint}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'accept-encoding': 'gzip',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let firstByteMs = 0;
  let bytes = 0;
  const parts: string[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (!firstByteMs) firstByteMs = performance.now() - started;
    bytes += value.byteLength;
    if (keepText) parts.push(decoder.decode(value, { stream: true }));
  }
  return { firstByteMs, totalMs: performance.now() - started, bytes, text: keepText ? parts.join('') + decoder.decode() : null };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface SizeFigures {
  n: number;
  seedSeconds: number;
  rows: Map<string, string[]>;
  consistent: string[];
}

const workers: WorkerProcess[] = [];
afterAll(async () => {
  for (const w of workers) await w.dispose();
});

async function measure(n: number): Promise<SizeFigures> {
  const inspectorPort = 30_000 + Math.floor(Math.random() * 20_000);
  const worker = new WorkerProcess({ withoutRateLimits: true, inspectorPort });
  workers.push(worker);
  await worker.start(); // applies the migrations
  await worker.stop();
  const entries = syntheticEntries(n);
  const seedStarted = performance.now();
  const head = await seedListed(worker.persistDir, entries);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const [operator, member] = worker.createOrgs([
    { name: 'Bench Operator', roles: ['reader'], kind: 'operator' },
    { name: 'Bench Member', roles: ['analyst'] },
  ]);
  const reader = operator!.keys[0]![1];
  const analyst = member!.keys[0]![1];
  await worker.start();
  await fetch(`${worker.endpoint}/health`);
  const heap = await HeapSampler.connect(inspectorPort, worker.endpoint);
  const rows = new Map<string, string[]>();
  const consistent: string[] = [];
  const ms = (t: number) => `${t.toFixed(0)} ms`;

  try {
    for (const format of FORMAT_NAMES) {
      const path = `/v1/list?format=${format}`;
      const cold = await heap.peakDuring(() => timed(worker, reader, path, { keepText: format === 'json' }));
      const warm = await heap.peakDuring(() => timed(worker, reader, path));
      rows.set(`${format} snapshot`, [
        ms(cold.result.firstByteMs),
        ms(cold.result.totalMs),
        ms(warm.result.totalMs),
        `${Math.max(cold.peakMb, warm.peakMb).toFixed(1)} MB`,
        `${(cold.result.bytes / 1e6).toFixed(1)} MB`,
      ]);
      if (format === 'json') {
        const list = JSON.parse(cold.result.text!) as ListResponse;
        const copy = await LocalList.fromSnapshot(list);
        consistent.push(
          `json snapshot: ${list.entries.length.toLocaleString('en')} entries, checksum ${copy.checksum() === head.checksum ? 'equals' : 'DIFFERS FROM'} the head's`,
        );
      }
    }

    const coldSet = await heap.peakDuring(() => timed(worker, reader, '/v1/prefixes', { keepText: true }));
    const warmSet = await heap.peakDuring(() => timed(worker, reader, '/v1/prefixes'));
    rows.set('prefix set', [
      ms(coldSet.result.firstByteMs),
      ms(coldSet.result.totalMs),
      ms(warmSet.result.totalMs),
      `${Math.max(coldSet.peakMb, warmSet.peakMb).toFixed(1)} MB`,
      `${(coldSet.result.bytes / 1e6).toFixed(1)} MB`,
    ]);
    const set = JSON.parse(coldSet.result.text!) as PrefixSetResponse;
    const decoded = riceDecode({ ...set, encodedData: base64.decode(set.encodedData) });
    const distinct = new Set(entries.map((e) => prefixOf(expressionHash(expressionOf(e))))).size;
    consistent.push(
      `prefix set: ${decoded.length.toLocaleString('en')} prefixes (${distinct.toLocaleString('en')} distinct expected), checksum ${prefixSetChecksum(decoded) === set.checksum ? 'holds' : 'FAILS'}`,
    );

    const probe = entries[Math.floor(n / 3)]!;
    const probePrefix = hex.encode(expressionHash(expressionOf(probe)).slice(0, 4));
    const steady = async (label: string, times: number, run: () => Promise<Timed>) => {
      const first = await heap.peakDuring(run);
      const rest: number[] = [];
      for (let i = 1; i < times; i++) rest.push((await run()).totalMs);
      rows.set(label, ['', ms(first.result.totalMs), ms(median(rest)), `${first.peakMb.toFixed(1)} MB`, '']);
    };
    await steady('full hashes, one prefix', 20, () => timed(worker, reader, '/v1/hashes', { body: { prefixes: [probePrefix] } }));
    await steady('delta page of 1,000', 10, () => timed(worker, reader, `/v1/changes?since=${Math.floor(head.version / 2)}&limit=1000`));
    const inputs = Array.from({ length: 10_000 }, (_, i) => (i % 2 ? `${entries[(i * 97) % n]!.value}` : `unlisted-${i}-demo.net`));
    await steady('lookup of 10,000 inputs', 3, () => timed(worker, reader, '/v1/lookup', { body: { inputs } }));
    let flagNo = 0;
    await steady('a flag', 10, () =>
      timed(worker, analyst, '/v1/flags', {
        body: { target: `bench-flag-${flagNo++}-demo.net`, reason: 'nudify_site' },
        headers: { 'idempotency-key': crypto.randomUUID() },
      }),
    );
    return { n, seedSeconds, rows, consistent };
  } finally {
    heap.close();
    await worker.stop();
  }
}

it(`the worker at ${(N / 10).toLocaleString('en')} and ${N.toLocaleString('en')} listed indicators`, async () => {
  const small = await measure(Math.round(N / 10));
  const large = await measure(N);
  const cell = (s: string, w = 12) => s.padEnd(w);
  console.log(`\nFlagline worker benchmark: wrangler dev (workerd, local D1) on this machine, Node ${process.version}`);
  console.log(
    `Seeded through the contract's own versions and checksums: ${small.n.toLocaleString('en')} in ${small.seedSeconds.toFixed(0)} s, ${large.n.toLocaleString('en')} in ${large.seedSeconds.toFixed(0)} s\n`,
  );
  const header = ['first byte', 'cold', 'warm', 'peak heap', 'bytes'];
  console.log(`${''.padEnd(26)}${cell(`at ${small.n.toLocaleString('en')}`, 60)}at ${large.n.toLocaleString('en')}`);
  console.log(`${''.padEnd(26)}${header.map((h) => cell(h)).join('')}${header.map((h) => cell(h)).join('')}`);
  for (const [label, cells] of large.rows)
    console.log(`${label.padEnd(26)}${(small.rows.get(label) ?? []).map((c) => cell(c)).join('')}${cells.map((c) => cell(c)).join('')}`);
  console.log(`\nConsistency at ${large.n.toLocaleString('en')}:\n  ${large.consistent.join('\n  ')}`);
  const peaks = [...large.rows.values()].map((cells) => Number.parseFloat(cells[3]!));
  const snapshotFirstBytes = [...large.rows].filter(([label]) => label.endsWith('snapshot')).map(([, cells]) => Number.parseFloat(cells[0]!));
  const prefix = large.rows.get('prefix set')!;
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  console.log(`
Targets at ${large.n.toLocaleString('en')}:
  peak JS heap, buffers included   ${Math.max(...peaks).toFixed(1)} MB   (target under ${HEAP_LIMIT_MB} MB) ${verdict(Math.max(...peaks) < HEAP_LIMIT_MB)}
  cold snapshot, first byte        ${Math.max(...snapshotFirstBytes).toFixed(0)} ms at the slowest format   (target under 1 s) ${verdict(Math.max(...snapshotFirstBytes) < 1000)}
  cold prefix set                  ${prefix[1]}   (target under 3 s) ${verdict(Number.parseFloat(prefix[1]!) < 3000)}
  warm prefix set                  ${prefix[2]}   (target under 200 ms) ${verdict(Number.parseFloat(prefix[2]!) < 200)}
`);
}, 3_600_000);
