import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, ROOT, WorkerProcess } from '../support/worker-process';

/*
 * The OpenAPI document is what partners generate clients from: it must pass Redocly's recommended rules,
 * and every live answer must match the schema it documents (a nullable the document hides breaks clients).
 */
const worker = new WorkerProcess();
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked by path, not typed
let doc: any;
let keys: { admin: string; reviewer: string; reader: string; analystA: string; analystB: string; memberAdmin: string; memberOrg: string };
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);

beforeAll(async () => {
  await worker.start();
  const operator = worker.createOrg('OpenAPI Demo Operator', ['admin', 'reviewer', 'reader'], 'operator');
  const a = worker.createOrg('OpenAPI Demo A', ['analyst', 'admin']);
  const b = worker.createOrg('OpenAPI Demo B', ['analyst']);
  keys = {
    ...(operator.keys as { admin: string; reviewer: string; reader: string }),
    analystA: a.keys.analyst!,
    analystB: b.keys.analyst!,
    memberAdmin: a.keys.admin!,
    memberOrg: a.orgId,
  };
  doc = await (await fetch(`${worker.endpoint}/openapi.json`)).json();
  ajv.addSchema({ $id: 'openapi', components: doc.components });
}, 120_000);
afterAll(() => worker.dispose());

/** Checks one live answer against the schema the document gives for its operation and status. */
async function conforms(method: string, path: string, template: string, key: string | null, body?: unknown, headers: Record<string, string> = {}) {
  const res = await worker.fetch(path, key ?? '', { method, body, headers: { 'accept-encoding': 'identity', ...headers } });
  const operation = doc.paths[template]?.[method.toLowerCase()];
  expect(operation, `${method} ${template} is documented`).toBeDefined();
  const documented = operation.responses[String(res.status)]?.content?.['application/json']?.schema;
  expect(documented, `${method} ${template} documents status ${res.status}`).toBeDefined();
  const validate = ajv.compile(JSON.parse(JSON.stringify(documented).replaceAll('"#/components/', '"openapi#/components/')));
  const json = await res.json();
  expect(validate(json) ? [] : validate.errors, `${method} ${path} answered ${res.status} as documented`).toEqual([]);
  return { status: res.status, json };
}

describe('the OpenAPI document', () => {
  it("should pass Redocly's recommended rules with no errors and every operation named", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flagline-openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const run = spawnSync(bin('redocly'), ['lint', file, '--format=json'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    });
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
    const problems = report.problems.map((p: { ruleId: string; severity: string }) => `${p.severity} ${p.ruleId}`);
    expect(problems.filter((p: string) => p.startsWith('error'))).toEqual([]);
    expect(problems.filter((p: string) => p.includes('operationId'))).toEqual([]);
    expect(doc.servers).toEqual([{ url: worker.endpoint, description: expect.any(String) }]);
  });

  it('should answer every operation as it documents, successes and errors alike', async () => {
    const flag = (key: string, target: string) =>
      conforms('POST', '/v1/flags', '/v1/flags', key, { target, reason: 'nudify_site' }, { 'idempotency-key': crypto.randomUUID() });
    expect((await flag(keys.analystA, 'openapi-demo.net')).status).toBe(201);
    expect((await flag(keys.analystB, 'openapi-demo.net')).status).toBe(201);
    await flag(keys.analystA, 'acct_1OpenApiDemo00001');
    await conforms('GET', '/v1/flags', '/v1/flags', keys.analystA);
    const mistaken = await flag(keys.analystA, 'mistaken-openapi-demo.net');
    await conforms('POST', `/v1/flags/${mistaken.json.results[0].flagId}/withdraw`, '/v1/flags/{id}/withdraw', keys.analystA, { reason: 'wrong site' });
    await conforms('GET', '/v1/whoami', '/v1/whoami', keys.reader);
    await conforms('GET', '/health', '/health', null);
    await conforms('GET', '/.well-known/flagline-keys.json', '/.well-known/flagline-keys.json', null);
    await conforms('GET', '/v1/list', '/v1/list', keys.reader);
    await conforms('GET', '/v1/changes?since=0', '/v1/changes', keys.reader);
    await conforms('GET', '/v1/prefixes', '/v1/prefixes', keys.reader);
    await conforms('POST', '/v1/hashes', '/v1/hashes', keys.reader, { prefixes: ['00000000'] });
    // An input that cannot be read as an indicator comes back with indicator: null.
    const lookup = await conforms('POST', '/v1/lookup', '/v1/lookup', keys.reader, { inputs: ['openapi-demo.net', 'google.com', '%%%'] });
    expect(lookup.json.results[1].indicator).toBeNull();
    await conforms('GET', '/v1/lookup?q=https%3A%2F%2Fopenapi-demo.net%2Fx', '/v1/lookup', keys.reader);
    for (const action of ['dispute', 'confirm', 'delist']) {
      await conforms('POST', `/v1/indicators/${action}`, `/v1/indicators/${action}`, keys.reviewer, { target: 'openapi-demo.net', reason: 'checked in test' });
    }
    await conforms('POST', '/v1/indicators/reject', '/v1/indicators/reject', keys.reviewer, { target: 'acct_1OpenApiDemo00001', reason: 'checked in test' });
    const org = await conforms('POST', '/v1/admin/orgs', '/v1/admin/orgs', keys.admin, { name: 'OpenAPI Demo C', kind: 'ngo' });
    await conforms('GET', '/v1/admin/orgs', '/v1/admin/orgs', keys.admin);
    const key = await conforms('POST', `/v1/admin/orgs/${org.json.id}/keys`, '/v1/admin/orgs/{id}/keys', keys.admin, { role: 'reader', label: 'doc' });
    await conforms('GET', `/v1/admin/orgs/${org.json.id}/keys`, '/v1/admin/orgs/{id}/keys', keys.admin);
    await conforms('POST', `/v1/admin/keys/${key.json.id}/revoke`, '/v1/admin/keys/{id}/revoke', keys.admin);
    await conforms('POST', `/v1/admin/orgs/${org.json.id}/suspend`, '/v1/admin/orgs/{id}/suspend', keys.admin);
    await conforms('POST', `/v1/admin/orgs/${org.json.id}/reinstate`, '/v1/admin/orgs/{id}/reinstate', keys.admin);
    await conforms('GET', '/v1/admin/audit', '/v1/admin/audit', keys.admin);
    await conforms('GET', '/v1/admin/flags?target=openapi-demo.net', '/v1/admin/flags', keys.admin);
    // Errors come in the one documented shape.
    expect((await conforms('GET', '/v1/whoami', '/v1/whoami', null)).status).toBe(401);
    expect((await conforms('GET', `/v1/admin/orgs/${keys.memberOrg}/keys`, '/v1/admin/orgs/{id}/keys', keys.reader)).status).toBe(403);
    expect((await conforms('GET', '/v1/admin/flags?target=never-flagged-openapi-demo.net', '/v1/admin/flags', keys.memberAdmin)).status).toBe(404);
    expect((await conforms('POST', '/v1/admin/orgs', '/v1/admin/orgs', keys.admin, { name: 'x', kind: 'bank' })).status).toBe(400);
  });
});
