import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  FORMATS,
  formatWriter,
  prefixSetChecksum,
  PrefixSet,
  riceDecode,
  riceEncode,
  riceParameterFor,
  stixPattern,
  type SnapshotEntry,
  type SnapshotMeta,
} from '../../shared';

const ENTRIES: SnapshotEntry[] = [
  { kind: 'domain', value: 'alpha-demo.net', status: 'listed', reasons: ['nudify_site'], orgCount: 3 },
  { kind: 'domain', value: 'xn--bcher-demo-9db.de', status: 'disputed', reasons: ['nudify_site', 'payment_front'], orgCount: 2 },
  { kind: 'domain', value: 'mirror_1-demo.net', status: 'listed', reasons: ['nudify_site'], orgCount: 2 },
  { kind: 'host', value: 'cdn.beta-demo.net', status: 'listed', reasons: ['nudify_app'], orgCount: 2 },
  { kind: 'host', value: '203.0.113.7', status: 'listed', reasons: ['nudify_site'], orgCount: 2 },
  { kind: 'host', value: '2001:db8:7::1', status: 'listed', reasons: ['nudify_site'], orgCount: 2 },
  { kind: 'url', value: "https://files-demo.net/it's/a\\b", status: 'listed', reasons: ['payment_front'], orgCount: 2 },
  { kind: 'url', value: 'https://files-demo.net/a,b', status: 'listed', reasons: ['payment_front'], orgCount: 2 },
  { kind: 'merchant', value: 'stripe:acct_1DemoDemoDemo0001', status: 'listed', reasons: ['payment_front'], orgCount: 2 },
  { kind: 'wallet', value: 'btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', status: 'listed', reasons: ['payment_front'], orgCount: 2 },
  { kind: 'handle', value: 'telegram:undress_demo_bot', status: 'listed', reasons: ['nudify_app'], orgCount: 2 },
  { kind: 'app', value: 'ios:6400000001', status: 'listed', reasons: ['nudify_app'], orgCount: 2 },
];
const META: SnapshotMeta = {
  version: 42,
  checksum: 'ab'.repeat(32),
  signature: { keyId: 'k', alg: 'Ed25519', value: 'sig' },
  generatedAt: '2026-11-27T00:00:00.000Z',
};

async function render(name: keyof typeof FORMATS): Promise<string> {
  const format = FORMATS[name];
  const entries = ENTRIES.filter((e) => !format.kinds || format.kinds.includes(e.kind));
  const file = formatWriter(format, META);
  let out = file.head();
  for (const e of entries) out += await file.row(e);
  return out + file.tail();
}

const namedCheckzone = spawnSync('sh', ['-c', 'command -v named-checkzone'], { encoding: 'utf8' }).stdout.trim();
if (!namedCheckzone && process.env.CI) throw new Error('named-checkzone not found: CI must install bind9-utils.');

describe('list formats', () => {
  it.skipIf(!namedCheckzone)(
    `should write an RPZ zone that BIND's named-checkzone accepts${namedCheckzone ? '' : ' (skipped: named-checkzone not installed)'}`,
    async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'flagline-rpz-')), 'flagline.rpz');
      writeFileSync(file, await render('rpz'));
      const check = spawnSync(namedCheckzone, ['-i', 'none', 'rpz.flagline.example', file], { encoding: 'utf8' });
      expect(check.stdout + check.stderr).toMatch(/loaded serial 42/);
      expect(check.status).toBe(0);
    },
  );

  // The OASIS schemas cannot be fetched here, so these are the STIX 2.1 spec's rules for the objects we write.
  const identifier = (type: string) => z.string().regex(new RegExp(`^${type}--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`));
  const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  const core = { spec_version: z.literal('2.1'), created: timestamp, modified: timestamp };
  const StixIndicator = z
    .object({
      type: z.literal('indicator'),
      id: identifier('indicator'),
      ...core,
      created_by_ref: identifier('identity'),
      name: z.string(),
      indicator_types: z.array(z.enum(['anomalous-activity', 'anonymization', 'benign', 'compromised', 'malicious-activity', 'attribution', 'unknown'])).min(1),
      pattern: z.string().regex(/^\[.+\]$/),
      pattern_type: z.literal('stix'),
      pattern_version: z.literal('2.1'),
      valid_from: timestamp,
      labels: z.array(z.string()).min(1),
      confidence: z.number().int().min(0).max(100),
    })
    .catchall(z.unknown())
    .refine(
      (o) =>
        Object.keys(o)
          .filter((k) => !(k in StixIndicatorKeys))
          .every((k) => /^x_[a-z0-9_]{1,247}$/.test(k)),
      'custom properties must start with x_',
    );
  const StixIndicatorKeys = {
    type: 1,
    id: 1,
    spec_version: 1,
    created: 1,
    modified: 1,
    created_by_ref: 1,
    name: 1,
    description: 1,
    indicator_types: 1,
    pattern: 1,
    pattern_type: 1,
    pattern_version: 1,
    valid_from: 1,
    labels: 1,
    confidence: 1,
    revoked: 1,
  };
  const StixIdentity = z.object({ type: z.literal('identity'), id: identifier('identity'), ...core, name: z.string(), identity_class: z.string() });
  const Bundle = z
    .object({ type: z.literal('bundle'), id: identifier('bundle'), objects: z.array(z.union([StixIndicator, StixIdentity.catchall(z.unknown())])).min(1) })
    .strict();

  it('should write a STIX 2.1 bundle whose objects follow the spec, with one escaped pattern per entry', async () => {
    const bundle = Bundle.parse(JSON.parse(await render('stix')));
    const patterns = bundle.objects.filter((o) => o.type === 'indicator').map((o) => (o as { pattern: string }).pattern);
    expect(patterns).toContain("[url:value = 'https://files-demo.net/it\\'s/a\\\\b']");
    expect(patterns).toContain("[domain-name:value = 'xn--bcher-demo-9db.de']");
    expect(patterns).toHaveLength(ENTRIES.length);
  });

  it('should give every entry the same indicator id on every pull', async () => {
    const ids = (text: string) => JSON.parse(text).objects.map((o: { id: string }) => o.id);
    expect(ids(await render('stix'))).toEqual(ids(await render('stix')));
  });

  it('should block an IPv6 host by an rpz-ip trigger, leave it out of a hosts file, and match it as an ipv6-addr in STIX', async () => {
    expect((await render('rpz')).split('\n')).toContain('128.1.zz.7.db8.2001.rpz-ip CNAME .');
    expect(await render('hosts')).not.toContain('2001:db8');
    expect(await render('txt')).toContain('\n2001:db8:7::1\n');
    expect(stixPattern({ kind: 'host', value: '2001:db8:7::1' })).toBe("[ipv6-addr:value = '2001:db8:7::1/128']");
  });

  it('should quote CSV fields that need it', async () => {
    expect(await render('csv')).toContain('\r\nurl,"https://files-demo.net/a,b",listed,payment_front,2,\r\n');
  });
});

describe('Rice-coded prefix sets', () => {
  it('should decode to exactly the prefixes encoded, for any set', async () => {
    await fc.assert(
      // Any parameter near the optimum (far below it, unary quotients grow without bound by design).
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 2000 }),
        fc.integer({ min: -2, max: 2 }),
        async (values, shift) => {
          const sorted = Uint32Array.from(values.sort((a, b) => a - b));
          const k = Math.max(0, Math.min(28, riceParameterFor(sorted.length) + shift));
          const encoded = riceEncode(sorted, k);
          const decoded = riceDecode(encoded);
          expect(Array.from(decoded)).toEqual(Array.from(sorted));
          expect(prefixSetChecksum(decoded)).toBe(prefixSetChecksum(sorted));
          const set = new PrefixSet(decoded);
          for (const v of values.slice(0, 20)) expect(set.has(v)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
