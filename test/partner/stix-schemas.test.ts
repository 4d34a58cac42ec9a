import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stixValidators } from '../support/stix-schemas';
import { WorkerProcess } from '../support/worker-process';

/*
 * Partners load Flagline's STIX into tools nobody here wrote (MISP, OpenCTI, TAXII clients), so every
 * bundle and object the worker writes is checked against the OASIS STIX 2.1 JSON schemas
 * (test/fixtures/stix2-json-schemas, BSD-3-Clause). In Node: workerd refuses ajv's generated code.
 */
const worker = new WorkerProcess();
let reader = '';
const { errorsOf } = stixValidators();
const TAXII = 'application/taxii+json;version=2.1';
const COLLECTION = '6a7f2b1c-3d4e-4f50-8a61-9b7c8d9e0f12';

beforeAll(async () => {
  await worker.start();
  const [a, b] = [worker.createOrg('STIX Demo A', ['analyst']), worker.createOrg('STIX Demo B', ['analyst'])];
  const operator = worker.createOrg('STIX Demo Operator', ['reader', 'reviewer'], 'operator');
  reader = operator.keys.reader!;
  // Every kind, and a removal (a revoked indicator in TAXII).
  const targets = [
    'stix-demo.net',
    'host:cdn.stix-demo.net',
    '203.0.113.8',
    "url:https://files.stix-demo.net/it's/pay",
    'acct_1StixDemo0000001',
    'paypal:STIXDEMO00001',
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    'https://t.me/stix_demo_bot',
    'ios:6400000009',
    'gone-stix-demo.net',
  ];
  for (const target of targets) for (const org of [a, b]) expect([target, (await worker.flag(org.keys.analyst!, target)).status]).toEqual([target, 201]);
  // A mirror whose checkout shows the listed merchant id: the two form a service, a STIX relationship.
  const evidence = { signals: [{ type: 'stripe_account', value: 'acct_1StixDemo0000001' }] };
  for (const org of [a, b]) {
    const mirror = await worker.fetch('/v1/flags', org.keys.analyst!, {
      body: { target: 'mirror-stix-demo.net', reason: 'nudify_site', evidence },
      headers: { 'idempotency-key': crypto.randomUUID() },
    });
    expect(mirror.status).toBe(201);
  }
  const delisted = await worker.fetch('/v1/indicators/delist', operator.keys.reviewer!, { body: { target: 'gone-stix-demo.net', reason: 'owner changed' } });
  expect(delisted.status).toBe(200);
}, 120_000);
afterAll(() => worker.dispose());

describe('STIX 2.1 as the OASIS schemas define it', () => {
  it('should write a list bundle that validates, with every object in it valid', async () => {
    const bundle = await (await worker.fetch('/v1/list?format=stix', reader)).json();
    expect(errorsOf(bundle)).toEqual([]);
    // Flagline's identity, the ten listed indicators (one was delisted), the relationship of the mirror and its merchant id's service,
    // and the file's signature: a custom object, last.
    expect(bundle.objects.map((o: { type: string }) => o.type).sort()).toEqual([
      'identity',
      ...Array(10).fill('indicator'),
      'relationship',
      'x-flagline-file-signature',
    ]);
    for (const object of bundle.objects) expect([object.id, errorsOf(object)]).toEqual([object.id, []]);
  });

  it('should catch what the schemas forbid (the check itself can fail)', async () => {
    const bundle = await (await worker.fetch('/v1/list?format=stix', reader)).json();
    const indicator = bundle.objects.find((o: { type: string }) => o.type === 'indicator');
    expect(errorsOf({ ...indicator, id: 'indicator--not-a-uuid' })).not.toEqual([]);
    expect(errorsOf({ ...indicator, pattern_type: undefined, valid_from: 'yesterday' })).not.toEqual([]);
  });

  it('should serve TAXII objects, revoked ones included, that each validate', async () => {
    const res = await worker.fetch(`/taxii2/api/collections/${COLLECTION}/objects/?limit=1000`, reader, { headers: { accept: TAXII } });
    const envelope = await res.json();
    expect(envelope.objects.some((o: { revoked?: boolean }) => o.revoked)).toBe(true);
    for (const object of envelope.objects) expect([object.id, errorsOf(object)]).toEqual([object.id, []]);
  });

  it('should serve over TAXII the same service relationships as the snapshot, by id and target, and page them within the limit', async () => {
    type Relationship = { type: string; id: string; source_ref: string; target_ref: string };
    const bundle = await (await worker.fetch('/v1/list?format=stix', reader)).json();
    const inFile = bundle.objects
      .filter((o: Relationship) => o.type === 'relationship')
      .map(({ id, source_ref, target_ref }: Relationship) => ({ id, source_ref, target_ref }));
    const objects: Relationship[] = [];
    let next: string | undefined;
    do {
      const page = await (
        await worker.fetch(`/taxii2/api/collections/${COLLECTION}/objects/?limit=3${next ? `&next=${next}` : ''}`, reader, { headers: { accept: TAXII } })
      ).json();
      expect(page.objects.length).toBeLessThanOrEqual(3);
      objects.push(...page.objects);
      next = page.more ? page.next : undefined;
    } while (next);
    const served = objects.filter((o) => o.type === 'relationship').map(({ id, source_ref, target_ref }) => ({ id, source_ref, target_ref }));
    expect(inFile).toHaveLength(1);
    expect(served).toEqual(inFile);
    // Asked for relationships only, TAXII gives just those.
    const only = await (
      await worker.fetch(`/taxii2/api/collections/${COLLECTION}/objects/?match[type]=relationship`, reader, { headers: { accept: TAXII } })
    ).json();
    expect(only.objects.map((o: Relationship) => o.id)).toEqual(inFile.map((r: Relationship) => r.id));
  });
});
