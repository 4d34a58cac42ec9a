import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES, expressionHash } from '../../shared';
import { COLLECTION_ID } from '../../worker/src/routes/taxii';
import { call, flag, newOrg, operatorOrg } from './helpers';

// Who flagged what stays with admins: readers, analysts and reviewers learn counts and reasons, never which
// organization (or key) stood behind an indicator, from any endpoint or format.
describe('who flagged what', () => {
  it('should name no flagging organization or key to non-admins, from any endpoint or format', async () => {
    const [a, b] = await Promise.all([newOrg('analyst'), newOrg('analyst')]);
    const target = 'https://private-flaggers-demo.net/checkout';
    // With a merchant id in the evidence: the indicator founds a service, whose page is one more read.
    const evidence = { title: 'Checkout', signals: [{ type: 'stripe_account', value: 'acct_1PrivateDemo00001' }] };
    let service = '';
    for (const org of [a, b]) {
      const flagged = await flag(org.keys.analyst, { target, reason: 'payment_front', evidence });
      expect(flagged.json.results[0]!.flagId).toBeDefined();
      service = flagged.json.results[0]!.service!.id;
    }
    const operator = await operatorOrg('reader', 'reviewer');
    // Listed, so every read below has it to show.
    expect((await call('GET', `/v1/lookup?q=${encodeURIComponent(target)}`, { key: operator.keys.reader })).json).toMatchObject({
      status: 'listed',
      orgCount: 2,
    });
    const secrets = [a, b].flatMap((o) => [o.org.id, o.org.name, ...Object.values(o.keyIds)]);
    const prefix = Buffer.from(expressionHash('domain:private-flaggers-demo.net').slice(0, 4)).toString('hex');
    const taxii = `/taxii2/api/collections/${COLLECTION_ID}`;
    const reads = [
      ...FORMAT_NAMES.map((format) => ['GET', `/v1/list?format=${format}`] as const),
      ['GET', '/v1/changes?since=0&limit=1000'],
      ['GET', `/v1/lookup?q=${encodeURIComponent(target)}`],
      ['POST', '/v1/lookup', { inputs: [target, 'private-flaggers-demo.net'] }],
      ['GET', '/v1/prefixes'],
      ['POST', '/v1/hashes', { prefixes: [prefix] }],
      ['GET', `${taxii}/objects/`],
      ['GET', `${taxii}/manifest/`],
      ['GET', '/v1/review/queue'],
      ['GET', `/v1/services/${service}`],
      ['GET', '/v1/admin/audit'],
      ['GET', `/v1/admin/flags?target=${encodeURIComponent(target)}`],
    ] as const;
    const askers = { reader: operator.keys.reader, reviewer: operator.keys.reviewer, 'the other analyst': a.keys.analyst };
    for (const [who, key] of Object.entries(askers)) {
      for (const [method, path, body] of reads) {
        const answer = await call(method, path, { key, body, headers: path.startsWith('/taxii2') ? { accept: 'application/taxii+json;version=2.1' } : {} });
        expect(answer.status, `${who} ${method} ${path}`).toBeLessThan(500);
        // Analyst a may see its own organization; never b's.
        const hidden = who === 'the other analyst' ? [b.org.id, b.org.name, ...Object.values(b.keyIds)] : secrets;
        for (const secret of hidden) expect(answer.text.includes(secret), `${who} ${method} ${path} names ${secret}`).toBe(false);
      }
    }
    // Analyst a's own flags list shows its own flag only.
    const own = await call('GET', '/v1/flags', { key: a.keys.analyst });
    expect(own.text).not.toContain(b.org.id);
  });
});
