import { describe, expect, it } from 'vitest';
import { EMPTY_CHECKSUM } from '../../shared';
import { call, operatorOrg } from './helpers';

// A file of its own: storage is isolated per file, so this one sees the deployment before any write.
describe('a fresh deployment', () => {
  it('should answer the empty list at version 0 with the empty checksum, and no changes', async () => {
    const { reader } = (await operatorOrg('reader')).keys;
    expect((await call('GET', '/v1/list', { key: reader })).json).toMatchObject({ version: 0, checksum: EMPTY_CHECKSUM, entries: [] });
    expect((await call('GET', '/v1/changes?since=0', { key: reader })).json).toMatchObject({ changes: [], next: 0, more: false, checksum: EMPTY_CHECKSUM });
    expect((await call('GET', '/v1/prefixes', { key: reader })).json).toMatchObject({ version: 0, entryCount: 0, entriesCount: 0 });
  });
});
