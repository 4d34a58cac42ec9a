import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, WorkerProcess } from '../support/worker-process';

const worker = new WorkerProcess();
let analysts: string[];
let reader: string;
let reviewer: string;
const dir = mkdtempSync(join(tmpdir(), 'flagline-cli-'));

/** Runs the built `flagline` command with exactly these arguments, in a folder of the test's choosing. */
function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'flagline.mjs'), ...args], {
      cwd,
      env: { ...process.env, FLAGLINE_ENDPOINT: '', FLAGLINE_KEY: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end('');
  });
}

/** Runs the built `flagline` command as a partner would. */
function flagline(args: string[], stdin?: string, endpoint = worker.endpoint): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'flagline.mjs'), ...args, '--endpoint', endpoint, '--key', reader], {
      cwd: dir,
      // Pins go to this test's own config directory, never the developer's.
      env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

async function flagFromAll(target: string) {
  for (const key of analysts) expect((await worker.flag(key, target)).status).toBe(201);
}

beforeAll(async () => {
  await worker.start();
  analysts = [worker.createOrg('CLI Demo A', ['analyst']).keys.analyst!, worker.createOrg('CLI Demo B', ['analyst']).keys.analyst!];
  const operator = worker.createOrg('CLI Demo Operator', ['reader', 'reviewer'], 'operator');
  reader = operator.keys.reader!;
  reviewer = operator.keys.reviewer!;
  await flagFromAll('alpha-cli-demo.net');
  await flagFromAll('beta-cli-demo.net');
  await flagFromAll('acct_1CliDemo00000001');
  await flagFromAll('host:cdn.mirror-cli-demo.net');
});
afterAll(() => worker.dispose());

describe('flagline sync', () => {
  /** Each test syncs its own file, so it stands alone. */
  const out = (name: string) => join(dir, name);
  const sync = async (file: string, ...extra: string[]) => {
    const run = await flagline(['sync', '--format', 'hosts', '--out', out(file), ...extra]);
    const version = Number(/at version (\d+) \(verified/.exec(run.stderr)?.[1]);
    return { ...run, version };
  };

  it('should write the list in the chosen format, verified, and keep its state beside it', async () => {
    const run = await sync('first.hosts');
    expect(run.stderr).toMatch(/holds \d+ entries at version \d+ \(verified/);
    expect(run.code).toBe(0);
    expect(readFileSync(out('first.hosts'), 'utf8')).toContain(
      '0.0.0.0 alpha-cli-demo.net\n:: alpha-cli-demo.net\n0.0.0.0 www.alpha-cli-demo.net\n:: www.alpha-cli-demo.net\n',
    );
    expect(readFileSync(out('first.hosts'), 'utf8')).not.toContain('acct_');
    expect(existsSync(`${out('first.hosts')}.state.json`)).toBe(true);
  });

  it('should pick up from its saved state through deltas, removals included', async () => {
    await flagFromAll('going-cli-demo.net');
    const first = await sync('resume.hosts');
    await flagFromAll('coming-cli-demo.net');
    const res = await worker.fetch('/v1/indicators/delist', reviewer, { body: { target: 'going-cli-demo.net', reason: 'owner changed' } });
    expect(res.status).toBe(200);
    const run = await sync('resume.hosts');
    expect(run.stderr).toMatch(new RegExp(`resuming from version ${first.version}`));
    expect(run.stderr).toMatch(new RegExp(`page 1, 2 changes applied, at version ${first.version + 2}`));
    const hosts = readFileSync(out('resume.hosts'), 'utf8');
    expect(hosts).toContain('0.0.0.0 coming-cli-demo.net');
    expect(hosts).not.toContain('going-cli-demo.net');
  });

  it('should fail clearly when the API is down, keep the old file, and resume once it is back', async () => {
    await sync('outage.hosts');
    const before = readFileSync(out('outage.hosts'), 'utf8');
    await worker.stop();
    const down = await sync('outage.hosts', '--retries', '0');
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^flagline: Cannot reach the Flagline API/m);
    expect(readFileSync(out('outage.hosts'), 'utf8')).toBe(before);
    await worker.start();
    await flagFromAll('after-outage-cli-demo.net');
    const up = await flagline(['sync', '--format', 'json', '--out', out('outage.json'), '--state', `${out('outage.hosts')}.state.json`]);
    expect(up.code).toBe(0);
    const values = JSON.parse(readFileSync(out('outage.json'), 'utf8')).entries.map((e: { value: string }) => e.value);
    expect(values).toEqual(expect.arrayContaining(['after-outage-cli-demo.net', 'beta-cli-demo.net', 'stripe:acct_1CliDemo00000001']));
  });

  it('should refuse bad usage with exit code 2 and one readable line', async () => {
    const cases: [string[], RegExp][] = [
      [['sync', '--format', 'xml', '--out', out('bad.xml')], /^flagline: sync needs --format \(json, ndjson, csv, txt, hosts, rpz, stix\) and --out FILE\.\n$/],
      // A hosts file or a zone can hold domains and hosts only: the server refuses the same request.
      [
        ['sync', '--format', 'rpz', '--out', out('bad.rpz'), '--kind', 'wallet'],
        /^flagline: --kind \(format rpz\) takes one of domain, host; "wallet" is not one\.\n$/,
      ],
      [
        ['sync', '--format', 'csv', '--out', out('bad.csv'), '--kind', 'bank'],
        /^flagline: --kind \(format csv\) takes one of domain, host, url, app, merchant, wallet, handle; "bank" is not one\.\n$/,
      ],
      [['sync', '--format', 'csv', '--out', out('bad.csv'), '--reason', 'spam'], /^flagline: --reason takes one of nudify_site, .*; "spam" is not one\.\n$/],
      [['check', '--retries=-1', 'x-demo.net'], /^flagline: --retries takes a whole number from 0 to 100, not "-1"\.\n$/],
      [['check', '--bogus'], /^flagline: Unknown option '--bogus' \(see flagline check --help\)\n$/],
    ];
    for (const [args, message] of cases) {
      const run = await flagline(args);
      expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(message)]);
    }
  });

  it('should never send a key to an endpoint the user did not name, nor over plain http off this computer', async () => {
    // A .flagline/dev-keys.json in the folder it runs in names an endpoint: without --dev it is not read.
    const elsewhere = mkdtempSync(join(tmpdir(), 'flagline-cwd-'));
    mkdirSync(join(elsewhere, '.flagline'));
    writeFileSync(join(elsewhere, '.flagline', 'dev-keys.json'), JSON.stringify({ endpoint: 'https://mirror.evil-demo.net', keys: { reader: 'flk_x' } }));
    const bare = await run(['check', 'beta-cli-demo.net'], elsewhere);
    expect([bare.code, bare.stderr]).toEqual([2, expect.stringMatching(/Say which API to use/)]);
    const plain = await run(['check', 'beta-cli-demo.net', '--endpoint', 'http://flagline.example-demo.net', '--key', reader], elsewhere);
    expect([plain.code, plain.stderr]).toEqual([2, expect.stringMatching(/use https \(plain http would carry your key in the clear/)]);
    // --dev reads it on request (and the local API over http is fine).
    writeFileSync(join(elsewhere, '.flagline', 'dev-keys.json'), JSON.stringify({ endpoint: worker.endpoint, keys: { reader } }));
    expect((await run(['check', '--dev', 'unknown-cli-demo.net'], elsewhere)).code).toBe(0);
  });

  it('should name a state file that is not one sync wrote, and say an unknown command is unknown', async () => {
    const file = join(dir, 'corrupt.hosts');
    writeFileSync(`${file}.state.json`, '{"not": "a state"');
    const corrupt = await flagline(['sync', '--format', 'hosts', '--out', file]);
    expect([corrupt.code, corrupt.stderr]).toEqual([2, expect.stringMatching(/corrupt\.hosts\.state\.json is not a copy saved by flagline sync/)]);
    const unknown = await flagline(['cheque', 'x-demo.net']);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/^flagline: unknown command "cheque"/)]);
  });

  it('should print usage with examples for flagline, sync and check, and its version', async () => {
    const top = await flagline(['--help']);
    expect([top.code, top.stdout]).toEqual([0, expect.stringMatching(/flagline sync --format <json\|ndjson\|csv\|txt\|hosts\|rpz\|stix>/)]);
    expect(top.stdout).toMatch(/Examples:\n {2}flagline/);
    for (const command of ['sync', 'check']) {
      const help = await flagline([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: flagline ${command}`));
      expect(help.stdout).toMatch(/Examples:\n {2}flagline/);
    }
    const version = await flagline(['--version']);
    expect([version.code, version.stdout.trim()]).toEqual([0, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version]);
  });
});

describe('flagline check', () => {
  it('should look inputs up and print a table, exiting 1 because one is listed, and name the unreadable input', async () => {
    const run = await flagline(['check', 'https://www.beta-cli-demo.net/pay', 'google.com', 'unknown-cli-demo.net']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^flagline: input 2 \(google\.com\) cannot be read: google\.com is a shared platform/m);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^INPUT\s+INDICATOR\s+STATUS\s+ORGS\s+REASONS$/);
    expect(lines[1]).toMatch(/^https:\/\/www\.beta-cli-demo\.net\/pay\s+domain:beta-cli-demo\.net\s+listed\s+2\s+nudify_site$/);
    expect(lines[2]).toMatch(/^google\.com\s+\(shared_platform\)\s+unknown\s+0/);
  });

  it('should find a listed host from its bare name or a URL on it, and say which indicator matched', async () => {
    const run = await flagline(['check', 'cdn.mirror-cli-demo.net', 'https://cdn.mirror-cli-demo.net/pay']);
    const lines = run.stdout.trim().split('\n').slice(1);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/\slisted via host:cdn\.mirror-cli-demo\.net\s/);
  });

  it('should exit 0 when nothing is on the list, for a gate to act on', async () => {
    const run = await flagline(['check', 'unknown-cli-demo.net', 'acct_1CliUnknown000001']);
    expect(run.code).toBe(0);
  });

  it('should name each input too long to read and still check the others in the same batch', async () => {
    const run = await flagline(['check', '--json', `https://long-cli-demo.net/${'a'.repeat(3000)}`, 'beta-cli-demo.net']);
    expect(run.code).toBe(1);
    const [long, beta] = JSON.parse(run.stdout).results;
    expect([long.error.code, long.input.length, beta.status]).toEqual(['input_too_long', 2049, 'listed']);
    expect(run.stderr).toMatch(/input 1 \(https:\/\/long-cli-demo\.net\/a+\) cannot be read: Inputs are at most 2048 characters/);
  });

  it('should check against the copy flagline sync keeps, without the network, with the same exit status', async () => {
    const file = join(dir, 'gate.csv');
    expect((await flagline(['sync', '--format', 'csv', '--out', file])).code).toBe(0);
    // An endpoint nobody answers: --local must not need one.
    const offline = 'http://127.0.0.1:9';
    const listed = await flagline(
      ['check', '--local', `${file}.state.json`, 'https://www.beta-cli-demo.net/pay', 'cdn.mirror-cli-demo.net'],
      undefined,
      offline,
    );
    expect([listed.code, listed.stdout]).toEqual([
      1,
      expect.stringMatching(/domain:beta-cli-demo\.net\s+listed[\s\S]*listed via host:cdn\.mirror-cli-demo\.net/),
    ]);
    const clean = await flagline(['check', '--local', `${file}.state.json`, 'unknown-cli-demo.net'], undefined, offline);
    expect(clean.code).toBe(0);
    const broken = await flagline(['check', '--local', join(dir, 'missing.state.json'), 'beta-cli-demo.net'], undefined, offline);
    expect([broken.code, broken.stderr]).toEqual([2, expect.stringMatching(/missing\.state\.json is not a copy saved by flagline sync/)]);
  });

  it('should refuse a saved copy changed on disk: check --local exits 2, and sync starts again from a verified snapshot', async () => {
    const file = join(dir, 'tampered.csv');
    expect((await flagline(['sync', '--format', 'csv', '--out', file])).code).toBe(0);
    // Someone with access to the disk removes a listed domain from the copy, so the gate lets it through.
    const state = JSON.parse(readFileSync(`${file}.state.json`, 'utf8')) as { entries: { value: string }[] };
    state.entries = state.entries.filter((e) => e.value !== 'beta-cli-demo.net');
    writeFileSync(`${file}.state.json`, JSON.stringify(state));
    const gate = await flagline(['check', '--local', `${file}.state.json`, 'beta-cli-demo.net'], undefined, 'http://127.0.0.1:9');
    expect([gate.code, gate.stderr]).toEqual([2, expect.stringContaining('is not the copy flagline sync verified')]);
    const resync = await flagline(['sync', '--format', 'csv', '--out', file]);
    expect([resync.code, resync.stderr]).toEqual([0, expect.stringContaining('does not add up to the checksum the server signed')]);
    expect((await flagline(['check', '--local', `${file}.state.json`, 'beta-cli-demo.net'], undefined, 'http://127.0.0.1:9')).code).toBe(1);
  });

  it('should read inputs from stdin and print JSON', async () => {
    const run = await flagline(['check', '--json'], 'acct_1CliDemo00000001\nbeta-cli-demo.net\n');
    expect(JSON.parse(run.stdout).results.map((r: { status: string }) => r.status)).toEqual(['listed', 'listed']);
  });
});

describe('retrying', () => {
  /** A front for the worker that answers the first requests itself: 503 with Retry-After, then 409. */
  async function flakyFront(answers: { status: number; headers?: Record<string, string> }[]) {
    const { createServer, request } = await import('node:http');
    const { listen } = await import('../support/worker-process');
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const canned = answers.shift();
      if (canned) {
        res.writeHead(canned.status, { 'content-type': 'application/json', ...canned.headers });
        res.end(JSON.stringify({ error: { code: canned.status === 409 ? 'conflict' : 'internal_error', message: 'try again', requestId: 'front' } }));
        return;
      }
      req.pipe(
        request(new URL(req.url!, worker.endpoint), { method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode!, up.headers);
          up.pipe(res);
        }),
      );
    });
    const port = await listen(server);
    return { endpoint: `http://127.0.0.1:${port}`, seen, close: () => server.close() };
  }

  it('should retry every request, the first included, on 503 and 409, honouring Retry-After', async () => {
    const front = await flakyFront([{ status: 503, headers: { 'retry-after': '0' } }, { status: 409 }]);
    const run = await flagline(['check', 'acct_1CliDemo00000001'], undefined, front.endpoint);
    front.close();
    expect(run.code).toBe(1); // listed
    expect(run.stderr).toMatch(/answered 503; retry 1 of 3/);
    expect(run.stderr).toMatch(/answered 409; retry 2 of 3/);
    expect(front.seen).toEqual(Array(3).fill('POST /v1/lookup'));
    expect(run.stdout).toMatch(/stripe:acct_1CliDemo00000001\s+listed/);
  });

  it('should give up after --retries and say why in one line, and refuse a --retries that is not a number', async () => {
    const front = await flakyFront([{ status: 503 }, { status: 503 }]);
    const run = await flagline(['check', '--retries', '1', 'beta-cli-demo.net'], undefined, front.endpoint);
    front.close();
    expect(run.code).toBe(2); // an error, never read as "listed" or "clean" by a gate
    expect(run.stderr.trim().split('\n').at(-1)).toBe('flagline: try again');
    const bad = await flagline(['check', '--retries', 'abc', 'beta-cli-demo.net']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--retries takes a whole number/)]);
  });
});

describe('over HTTP', () => {
  it('should send lists gzip-compressed to clients that accept it', async () => {
    const { request } = await import('node:http');
    const { gunzipSync } = await import('node:zlib');
    const url = new URL('/v1/list?format=csv', worker.endpoint);
    const raw = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      request(url, { headers: { authorization: `Bearer ${reader}`, 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(raw.encoding).toBe('gzip');
    expect(gunzipSync(raw.body).toString()).toMatch(/^kind,value,status,reasons,org_count,service\r\n/);
  });

  it('should send lists uncompressed to clients that do not ask for compression, as plain curl does not', async () => {
    const { request } = await import('node:http');
    for (const headers of [{}, { 'accept-encoding': 'identity' }]) {
      const raw = await new Promise<{ encoding?: string; body: string }>((resolve, reject) => {
        request(new URL('/v1/list?format=csv', worker.endpoint), { headers: { authorization: `Bearer ${reader}`, ...headers } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c)).on('end', () => resolve({ encoding: res.headers['content-encoding'], body }));
        })
          .on('error', reject)
          .end();
      });
      expect([raw.encoding, raw.body.split('\r\n')[0]]).toEqual([undefined, 'kind,value,status,reasons,org_count,service']);
    }
  });
});

describe('a pinned signing key', () => {
  /**
   * A front between the partner and the API: it passes everything through until told to forge, then serves its
   * own key set (its key under the real key's id) and a list with a domain injected, re-signed with its key.
   */
  async function mirror() {
    const { createServer } = await import('node:http');
    const { generateKeyPairSync, sign } = await import('node:crypto');
    const { changesStatement, listStatement, rotationStatement, updateChecksum } = await import('../../shared');
    const { keyFingerprint } = await import('../../shared/client');
    const { listen } = await import('../support/worker-process');
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const x = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
    const signWith = (statement: string, keyId: string) => ({
      keyId,
      alg: 'Ed25519',
      value: sign(null, Buffer.from(statement), privateKey).toString('base64url'),
    });
    const injected = { kind: 'domain', value: 'injected-by-mirror-demo.net', status: 'listed', reasons: ['nudify_site'], orgCount: 2 };
    const state = { forging: false };
    const server = createServer(async (req, res) => {
      const upstream = await fetch(new URL(req.url!, worker.endpoint), { headers: { authorization: req.headers.authorization ?? '' } });
      let body: unknown = await upstream.json();
      const path = new URL(req.url!, 'http://x').pathname;
      if (state.forging) {
        if (path === '/.well-known/flagline-keys.json') {
          const real = body as { keys: { kid: string }[] };
          body = { keys: [{ kty: 'OKP', crv: 'Ed25519', x, alg: 'EdDSA', use: 'sig', kid: real.keys[0]!.kid }] };
        } else if (path === '/.well-known/flagline-key-rotations.json') {
          // A hand-over from the real key to the mirror's, signed by the mirror's key: the real key never signed it.
          const real = (await (await fetch(new URL('/.well-known/flagline-keys.json', worker.endpoint))).json()) as { keys: { x: string; kid: string }[] };
          const from = { ...real.keys[0]!, kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' };
          const to = { kty: 'OKP', crv: 'Ed25519', x, alg: 'EdDSA', use: 'sig', kid: real.keys[0]!.kid };
          const at = new Date().toISOString();
          const statement = rotationStatement(keyFingerprint(from.x), keyFingerprint(x), at);
          body = { rotations: [{ from, to, at, signature: signWith(statement, from.kid).value }] };
        } else if (path === '/v1/list') {
          const list = body as { version: number; checksum: string; signature: { keyId: string }; entries: unknown[] };
          const checksum = updateChecksum(list.checksum, null, injected);
          body = { ...list, checksum, signature: signWith(listStatement(list.version, checksum), list.signature.keyId), entries: [...list.entries, injected] };
        } else if (path === '/v1/changes') {
          const page = body as { next: number; checksum: string; changes: []; signature: { keyId: string } };
          const since = Number(new URL(req.url!, 'http://x').searchParams.get('since'));
          const checksum = updateChecksum(page.checksum, null, injected);
          body = {
            ...page,
            checksum,
            signature: signWith(listStatement(page.next, checksum), page.signature.keyId),
            changesSignature: signWith(changesStatement(since, page.next, page.changes), page.signature.keyId),
          };
        }
      }
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    const port = await listen(server);
    return { endpoint: `http://127.0.0.1:${port}`, state, close: () => server.close() };
  }

  it('should pin the key on first use, print its fingerprint, and refuse a list a mirror re-signed with its own key', async () => {
    const { keyFingerprint } = await import('../../shared/client');
    const real = (await (await worker.fetch('/.well-known/flagline-keys.json', '')).json()) as { keys: { x: string }[] };
    const front = await mirror();
    try {
      const first = await flagline(['sync', '--format', 'json', '--out', join(dir, 'pinned-1.json')], undefined, front.endpoint);
      expect(first.code).toBe(0);
      expect(first.stderr).toContain(`signing key, fingerprint ${keyFingerprint(real.keys[0]!.x)}`);
      front.state.forging = true;
      const forged = await flagline(['sync', '--format', 'json', '--out', join(dir, 'pinned-2.json')], undefined, front.endpoint);
      // Its own key set, and a rotation to its key that the pinned key never signed.
      expect([forged.code, forged.stderr]).toEqual([1, expect.stringMatching(/is not the pinned one .*no rotation signed by the pinned key leads to it/)]);
      expect(existsSync(join(dir, 'pinned-2.json'))).toBe(false);
      // Given out of band, the fingerprint refuses the forgery on the very first sync too.
      const given = await flagline(
        ['sync', '--format', 'json', '--out', join(dir, 'pinned-3.json'), '--public-key', keyFingerprint(real.keys[0]!.x)],
        undefined,
        `${front.endpoint}/`,
      );
      expect([given.code, given.stderr]).toEqual([1, expect.stringMatching(/is not the pinned one/)]);
      const malformed = await flagline(['sync', '--format', 'json', '--out', join(dir, 'pinned-4.json'), '--public-key', 'abc'], undefined, front.endpoint);
      expect([malformed.code, malformed.stderr]).toEqual([2, expect.stringMatching(/--public-key takes the signing key's fingerprint/)]);
    } finally {
      front.close();
    }
  });

  /** Runs `flagline verify` offline: no endpoint, no key, this test's config directory. */
  const verify = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'dist', 'flagline.mjs'), 'verify', ...args], {
        cwd: dir,
        env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), FLAGLINE_ENDPOINT: '', FLAGLINE_KEY: '', FLAGLINE_PUBLIC_KEY: '' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  const download = async (format: string, file: string) => {
    const res = await worker.fetch(`/v1/list?format=${format}`, reader);
    expect(res.status).toBe(200);
    writeFileSync(join(dir, file), Buffer.from(await res.arrayBuffer()));
  };

  it('should verify a downloaded file offline with the pinned key, and refuse one changed or signed by another key', async () => {
    const { keyFingerprint } = await import('../../shared/client');
    const real = (await (await worker.fetch('/.well-known/flagline-keys.json', '')).json()) as { keys: { x: string }[] };
    const fingerprint = keyFingerprint(real.keys[0]!.x);
    // The first download of a new version: nothing but the file itself to verify it with.
    await flagFromAll('first-download-cli-demo.net');
    await download('hosts', 'first.hosts');
    const ok = await verify([join(dir, 'first.hosts')]);
    expect([ok.code, ok.stdout]).toEqual([
      0,
      expect.stringMatching(new RegExp(`first\\.hosts: verified: hosts list at version \\d+, signed by key ${fingerprint}\n$`)),
    ]);
    // One name changed: not verified, exit 1.
    const text = readFileSync(join(dir, 'first.hosts'), 'utf8');
    writeFileSync(join(dir, 'edited.hosts'), text.replace('0.0.0.0 first-download-cli-demo.net', '0.0.0.0 first-download-cli-demo.org'));
    const edited = await verify([join(dir, 'edited.hosts')]);
    expect([edited.code, edited.stderr]).toEqual([1, expect.stringMatching(/edited\.hosts is NOT verified: .*changed after it was signed/)]);
    // A file written by flagline sync has no signature line (sync verified the list before writing it).
    const synced = await verify([join(dir, 'pinned-1.json')]);
    expect([synced.code, synced.stderr]).toEqual([1, expect.stringMatching(/No "flagline-file-v1" signature line/)]);
    // Only the fingerprint given counts; a key set file works without any pin.
    const other = await verify([join(dir, 'first.hosts'), '--public-key', 'ab'.repeat(32)]);
    expect([other.code, other.stderr]).toEqual([2, expect.stringMatching(/No key with fingerprint abab/)]);
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(real));
    const byFile = await verify([join(dir, 'first.hosts'), '--keys', join(dir, 'keys.json'), '--public-key', fingerprint]);
    expect(byFile.code).toBe(0);
  });

  it("should follow the operator's key rotation from the pinned key, and still verify files signed before it", async () => {
    const { keyFingerprint } = await import('../../shared/client');
    const keysNow = async () => ((await (await worker.fetch('/.well-known/flagline-keys.json', '')).json()) as { keys: { x: string }[] }).keys;
    const before = keyFingerprint((await keysNow())[0]!.x);
    expect((await flagline(['sync', '--format', 'txt', '--out', join(dir, 'rotating.txt')])).code).toBe(0);
    await download('txt', 'before-rotation.txt');
    // The operator rotates as the README says (npm run rotate-key on its secrets file) and redeploys.
    await worker.stop();
    const rotate = spawnSync(process.execPath, [join(ROOT, 'scripts', 'rotate-key.mjs'), '--env-file', join(worker.persistDir, '.dev.vars')], {
      encoding: 'utf8',
    });
    expect(rotate.status).toBe(0);
    await worker.start();
    const after = keyFingerprint((await keysNow())[0]!.x);
    expect(rotate.stdout).toContain(`from ${before}\n  to   ${after}`);
    const rotations = await (await worker.fetch('/.well-known/flagline-key-rotations.json', '')).json();
    expect(rotations.rotations).toHaveLength(1);

    const synced = await flagline(['sync', '--format', 'txt', '--out', join(dir, 'rotating.txt')]);
    expect([synced.code, synced.stderr]).toEqual([
      0,
      expect.stringContaining(`signing key was rotated from ${before} to ${after}, by a statement the old key signed; pinned ${after}.`),
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'config', 'flagline', 'pins.json'), 'utf8'))[worker.endpoint]).toBe(after);
    // The same version's file is signed anew with the new key; the old download still verifies with the old key.
    await download('txt', 'after-rotation.txt');
    expect((await verify([join(dir, 'after-rotation.txt')])).stdout).toContain(`signed by key ${after}`);
    expect((await verify([join(dir, 'before-rotation.txt')])).stdout).toContain(`signed by key ${before}`);
    // Told the old fingerprint out of band, a partner still gets there, and is told which to use from now on.
    const given = await flagline(['sync', '--format', 'txt', '--out', join(dir, 'given.txt'), '--public-key', before]);
    expect([given.code, given.stderr]).toEqual([0, expect.stringContaining(`give --public-key ${after} from now on`)]);
  });
});
