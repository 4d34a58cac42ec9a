import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerProcess } from '../support/worker-process';

/*
 * Every file the API serves ends with its own signature line, and still loads in the tools partners feed it to.
 * The signature is checked here with OpenSSL, not Flagline's code, following only the rule the README states:
 * the last line holding "flagline-file-v1 format=F version=V keyid=K sig=S" signs, with Ed25519, the text
 * "flagline-file-v1:F:V:<hex SHA-256 of every byte before that line>".
 */
const worker = new WorkerProcess();
const dir = mkdtempSync(join(tmpdir(), 'flagline-files-'));
let reader = '';
let publicKeyPem = '';
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
const [openssl, namedCheckzone, python] = [has('openssl'), has('named-checkzone'), has('python3')];
if (process.env.CI && !(openssl && namedCheckzone && python)) throw new Error('CI needs openssl, named-checkzone (bind9-utils) and python3 for these tests.');

beforeAll(async () => {
  await worker.start();
  const orgs = [worker.createOrg('Files Demo A', ['analyst']), worker.createOrg('Files Demo B', ['analyst'])];
  reader = worker.createOrg('Files Demo Operator', ['reader'], 'operator').keys.reader!;
  for (const target of ['files-demo.net', 'host:cdn.files-demo.net', 'acct_1FilesDemo000001', "url:https://pay.files-demo.net/it's"])
    for (const org of orgs) expect((await worker.flag(org.keys.analyst!, target)).status).toBe(201);
  const { keys } = (await (await worker.fetch('/.well-known/flagline-keys.json', '')).json()) as { keys: { x: string }[] };
  // The JWK's raw key in an X.509 SubjectPublicKeyInfo, the form OpenSSL reads.
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(keys[0]!.x, 'base64url')]);
  publicKeyPem = `-----BEGIN PUBLIC KEY-----\n${spki.toString('base64')}\n-----END PUBLIC KEY-----\n`;
}, 120_000);
afterAll(() => worker.dispose());

/** The first download of the current version in a format, saved as a partner would. */
async function download(format: string): Promise<{ file: string; bytes: Buffer }> {
  const res = await worker.fetch(`/v1/list?format=${format}`, reader);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  const file = join(dir, `list.${format}`);
  writeFileSync(file, bytes);
  return { file, bytes };
}

/** Checks a file's signature line with OpenSSL alone. */
function opensslVerifies(bytes: Buffer): boolean {
  const mark = bytes.lastIndexOf('flagline-file-v1 ');
  const lineStart = bytes.lastIndexOf('\n', mark) + 1;
  const fields = bytes
    .subarray(mark)
    .toString()
    .match(/^flagline-file-v1 format=(\S+) version=(\d+) keyid=\S+ sig=([A-Za-z0-9_-]+)/)!;
  writeFileSync(join(dir, 'signed-part'), bytes.subarray(0, lineStart));
  const digest = spawnSync(openssl, ['dgst', '-sha256', '-r', join(dir, 'signed-part')], { encoding: 'utf8' }).stdout.split(' ')[0];
  writeFileSync(join(dir, 'statement'), `flagline-file-v1:${fields[1]}:${fields[2]}:${digest}`);
  writeFileSync(join(dir, 'signature'), Buffer.from(fields[3]!, 'base64url'));
  writeFileSync(join(dir, 'key.pem'), publicKeyPem);
  const args = ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'key.pem'), '-rawin', '-in', join(dir, 'statement'), '-sigfile', join(dir, 'signature')];
  return spawnSync(openssl, args, { encoding: 'utf8' }).status === 0;
}

describe('files verifiable on their own, loaded by the tools partners use', () => {
  it.skipIf(!openssl)(`should verify every format's first download with OpenSSL alone${openssl ? '' : ' (skipped: no openssl)'}`, async () => {
    for (const format of ['json', 'ndjson', 'csv', 'txt', 'hosts', 'rpz', 'stix']) {
      const { bytes } = await download(format);
      expect([format, opensslVerifies(bytes)]).toEqual([format, true]);
      const forged = Buffer.from(bytes.toString().replace('files-demo.net', 'files-demo.org'));
      expect([format, opensslVerifies(forged)]).toEqual([format, false]);
    }
  });

  it.skipIf(!namedCheckzone)(`should load the signed zone in BIND's named-checkzone${namedCheckzone ? '' : ' (skipped: no named-checkzone)'}`, async () => {
    const { file } = await download('rpz');
    const check = spawnSync(namedCheckzone, ['-i', 'none', 'rpz.flagline.example', file], { encoding: 'utf8' });
    expect([check.status, check.stdout]).toEqual([0, expect.stringMatching(/loaded serial \d+\nOK/)]);
  });

  it.skipIf(!python)(
    `should read the signed CSV and JSON in Python as before, the signature line skipped as a comment${python ? '' : ' (skipped: no python3)'}`,
    async () => {
      const csv = await download('csv');
      const json = await download('json');
      const script = `
import csv, json, sys
with open(sys.argv[1], newline='') as f:
    rows = [row for row in csv.reader(line for line in f if not line.startswith('#'))]
assert rows[0] == ['kind', 'value', 'status', 'reasons', 'org_count', 'service'], rows[0]
assert all(len(row) == 6 for row in rows), rows
with open(sys.argv[2]) as f:
    listed = json.load(f)
print(len(rows) - 1, len(listed['entries']), listed['fileSignature'].split(' ')[1])
`;
      const run = spawnSync(python, ['-c', script, csv.file, json.file], { encoding: 'utf8' });
      expect([run.status, run.stderr, run.stdout.trim()]).toEqual([0, '', '4 4 format=json']);
    },
  );

  it('should parse the signed JSON, NDJSON and STIX with a plain JSON parser', async () => {
    expect(JSON.parse((await download('json')).bytes.toString()).entries).toHaveLength(4);
    const lines = (await download('ndjson')).bytes
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect([lines.filter((l) => l.kind).length, Object.keys(lines.at(-1))]).toEqual([4, ['fileSignature']]);
    expect(JSON.parse((await download('stix')).bytes.toString()).objects.at(-1).type).toBe('x-flagline-file-signature');
  });
});
