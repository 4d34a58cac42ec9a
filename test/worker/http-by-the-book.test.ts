import { describe, expect, it } from 'vitest';
import { call, flag, newOrg, operatorOrg } from './helpers';

// HTTP as partners' caches and generated clients read it (issue 20, point 6).
describe('HTTP by the book', () => {
  it('should answer 304 to a weak validator and to a list of them, on lists, prefix sets, delta pages and the key set', async () => {
    const { reader } = (await operatorOrg('reader')).keys;
    for (const o of [await newOrg('analyst'), await newOrg('analyst')]) await flag(o.keys.analyst, { target: 'etag-demo.net', reason: 'nudify_site' });
    for (const path of ['/v1/list?format=txt', '/v1/prefixes', '/v1/changes?since=0', '/.well-known/flagline-keys.json'] as const) {
      const first = await call('GET', path, { key: reader });
      const tag = first.headers.get('etag');
      expect([path, first.status, tag]).toEqual([path, 200, expect.stringMatching(/^(W\/)?"[^"]+"$/)]);
      const opaque = tag!.replace(/^W\//, '');
      for (const ifNoneMatch of [`W/${opaque}`, `"other", ${opaque}`, '*']) {
        const again = await call('GET', path, { key: reader, headers: { 'if-none-match': ifNoneMatch } });
        expect([path, ifNoneMatch, again.status]).toEqual([path, ifNoneMatch, 304]);
      }
    }
  });

  it('should say that since is required, in the answer and in the contract', async () => {
    const { reader } = (await operatorOrg('reader')).keys;
    const res = await call('GET', '/v1/changes', { key: reader });
    expect([res.status, res.json.error?.fields?.[0]?.message]).toEqual([400, expect.stringMatching(/^since is required/)]);
    const doc = (await call('GET', '/openapi.json')).json as unknown as {
      paths: Record<string, { get: { parameters: { name: string; required?: boolean }[] } }>;
    };
    expect(doc.paths['/v1/changes']!.get.parameters.find((p) => p.name === 'since')).toMatchObject({ required: true });
  });
});

describe('HTTP by the book: authentication and methods', () => {
  it('should say how to authenticate on every 401: Bearer for the API, Basic or Bearer for TAXII', async () => {
    for (const path of ['/v1/list', '/v1/admin/orgs', '/v1/whoami'] as const) {
      const res = await call('GET', path);
      expect([path, res.status, res.headers.get('www-authenticate')]).toEqual([path, 401, 'Bearer realm="Flagline"']);
    }
    const wrong = await call('GET', '/v1/list', { key: 'flk_not_a_real_key_0000000000000000000000' });
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="Flagline"');
    const taxii = await call('GET', '/taxii2/', { headers: { accept: 'application/taxii+json;version=2.1' } });
    expect([taxii.status, taxii.headers.get('www-authenticate')]).toEqual([401, expect.stringMatching(/^Basic realm="Flagline TAXII"/)]);
    expect(taxii.text).not.toMatch(/only .*Bearer/);
  });

  it('should answer 405 to a method no route takes, admin routes included, before asking for a key', async () => {
    const admin = (await operatorOrg('admin')).keys.admin;
    for (const key of [undefined, admin]) {
      const res = await call('TRACE', '/v1/admin/orgs', key ? { key } : {});
      expect([res.status, res.json.error?.code]).toEqual([405, 'method_not_allowed']);
    }
  });

  it('should describe the STIX bundle in the contract as the object it is, not a string', async () => {
    const doc = (await call('GET', '/openapi.json')).json as unknown as {
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: { $ref?: string; type?: string } }> }> } }>;
    };
    expect(doc.paths['/v1/list']!.get.responses['200']!.content['application/stix+json;version=2.1']!.schema).toEqual({
      $ref: '#/components/schemas/StixBundle',
    });
  });
});
