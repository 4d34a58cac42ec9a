import { spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { changesStatement, checksumOf, keyFingerprint, listStatement } from '../../shared';
import { syntheticEntries } from '../support/synthetic-list';
import { listen, ROOT } from '../support/worker-process';

/*
 * `npm run bench`: the partner's side at 100,000 entries (BENCH_PARTNER_ENTRIES to change), with the built
 * `flagline` command as partners run it: a key-pinned first sync (download, signature, checksum of every entry,
 * file written) and `check --local` of 100,000 inputs against the synced copy. The list is served by a small
 * local server signing with its own Ed25519 key, so the figure is the CLI's work, not the worker's (npm run
 * bench:worker measures that). Figures, not pass/fail; the target is "well under a minute".
 */
const N = Number(process.env.BENCH_PARTNER_ENTRIES ?? 100_000);

function run(args: string[], stdin: string, env: Record<string, string>): Promise<{ code: number; ms: number; stderr: string; peakRssMb: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    // /usr/bin/time is not everywhere: the child reports its own peak RSS on exit instead.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'data:text/javascript,process.on("exit",()=>process.stderr.write("\\npeak-rss "+process.resourceUsage().maxRSS+"\\n"))',
        join(ROOT, 'dist', 'flagline.mjs'),
        ...args,
      ],
      { env: { ...process.env, ...env } },
    );
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const peak = Number(/peak-rss (\d+)/.exec(stderr)?.[1] ?? 0);
      resolve({ code: code ?? 1, ms: performance.now() - started, stderr, peakRssMb: peak / 1024 });
    });
    child.stdin.end(stdin);
  });
}

it(`the partner CLI at ${N.toLocaleString('en')} entries`, async () => {
  const entries = syntheticEntries(N);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
  const jwk = { kid: 'bench', kty: 'OKP', crv: 'Ed25519', x, alg: 'EdDSA', use: 'sig' };
  const signed = (statement: string) => ({ keyId: 'bench', alg: 'Ed25519', value: sign(null, Buffer.from(statement), privateKey).toString('base64url') });
  const version = 1_000;
  const checksum = checksumOf(entries);
  const snapshot = JSON.stringify({ version, checksum, signature: signed(listStatement(version, checksum)), generatedAt: new Date().toISOString(), entries });
  const noChanges = JSON.stringify({
    changes: [],
    next: version,
    more: false,
    checksum,
    signature: signed(listStatement(version, checksum)),
    changesSignature: signed(changesStatement(version, version, [])),
    pollAfterSeconds: 60,
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    const body =
      path === '/.well-known/flagline-keys.json'
        ? JSON.stringify({ keys: [jwk] })
        : path === '/.well-known/flagline-key-rotations.json'
          ? '{"rotations":[]}'
          : path === '/v1/list'
            ? snapshot
            : path === '/v1/changes'
              ? noChanges
              : null;
    res.writeHead(body === null ? 404 : 200, { 'content-type': 'application/json' });
    res.end(body ?? '{"error":{"code":"not_found","message":"no","requestId":"bench"}}');
  });
  const endpoint = `http://127.0.0.1:${await listen(server)}`;
  const dir = mkdtempSync(join(tmpdir(), 'flagline-bench-cli-'));
  const env = { FLAGLINE_ENDPOINT: endpoint, FLAGLINE_KEY: 'flk_bench', XDG_CONFIG_HOME: join(dir, 'config') };
  try {
    const out = join(dir, 'list.csv');
    const sync = await run(['sync', '--format', 'csv', '--out', out, '--public-key', keyFingerprint(x), '--quiet'], '', env);
    if (sync.code !== 0) throw new Error(`sync failed: ${sync.stderr}`);
    // Every tenth input is listed (its URL on a listed domain), the rest unknown.
    const domains = entries.filter((e) => e.kind === 'domain');
    const inputs = Array.from({ length: N }, (_, i) =>
      i % 10 === 0 ? `https://www.${domains[(i * 7919) % domains.length]!.value}/checkout?i=${i}` : `https://shop-${i}.unlisted-demo.org/pay`,
    );
    const check = await run(['check', '--local', `${out}.state.json`, '--json'], `${inputs.join('\n')}\n`, env);
    if (check.code !== 1) throw new Error(`check exited ${check.code}: ${check.stderr}`);
    const line = (label: string, text: string) => console.log(`${label.padEnd(34)}${text}`);
    console.log(`\nFlagline partner CLI: ${N.toLocaleString('en')} entries (Node ${process.version})\n`);
    line('Snapshot served', `${(Buffer.byteLength(snapshot) / 1e6).toFixed(2)} MB of JSON`);
    line(
      'flagline sync, key pinned',
      `${(sync.ms / 1000).toFixed(2)} s, peak RSS ${sync.peakRssMb.toFixed(0)} MB, ${(statSync(out).size / 1e6).toFixed(2)} MB csv written (target: well under a minute)`,
    );
    line(
      `flagline check --local, ${N.toLocaleString('en')}`,
      `${(check.ms / 1000).toFixed(2)} s, peak RSS ${check.peakRssMb.toFixed(0)} MB, exit ${check.code} (listed found)`,
    );
  } finally {
    server.close();
  }
}, 600_000);
