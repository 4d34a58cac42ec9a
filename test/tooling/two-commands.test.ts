import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript helpers used by `npm start` and `npm test`
import { ROOT, bin, offlineEnv } from '../../scripts/lib/env.mjs';
// @ts-expect-error plain JavaScript helper used by `npm start`
import { ensureSigningKey } from '../../scripts/lib/signing-key.mjs';

// The README's order on a fresh clone is `npm start`, then `npm test`. `npm start` writes SIGNING_KEY into
// .dev.vars; the generated-types check in `npm test` must not depend on that file. A copy of the parts wrangler
// reads, so the check never touches the developer's own .dev.vars.
const copy = mkdtempSync(join(tmpdir(), 'flagline-types-'));
for (const part of ['wrangler.jsonc', 'package.json', 'worker', 'shared']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const typesCheck = () =>
  spawnSync(bin('wrangler'), ['types', '--strict-vars=false', '--include-runtime=false', 'worker/worker-configuration.d.ts', '--check'], {
    cwd: copy,
    env: offlineEnv(),
    encoding: 'utf8',
  });

describe('npm test after npm start', () => {
  it('should find the committed worker types current without a .dev.vars (CI, a fresh clone)', () => {
    const run = typesCheck();
    expect(run.stderr + run.stdout).toContain('up to date');
    expect(run.status).toBe(0);
  });

  it('should find them current after npm start wrote SIGNING_KEY (and a stray variable) into .dev.vars', () => {
    expect(ensureSigningKey(join(copy, '.dev.vars'))).toBe(true);
    appendFileSync(join(copy, '.dev.vars'), 'LOCAL_ONLY=1\n');
    const run = typesCheck();
    expect(run.stderr + run.stdout).toContain('up to date');
    expect(run.status).toBe(0);
  });
});
