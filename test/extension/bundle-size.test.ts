import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript helper shared with `npm start`
import { ROOT } from '../../scripts/lib/env.mjs';

// The script injected into a page the analyst opens the popup on runs in that page: it stays small and imports
// only what it runs (signal candidates), never zod or the indicator parser. `npm test` builds before this runs.
describe('the injected evidence script', () => {
  it.each(['chrome-mv3', 'firefox-mv3'])('should stay under 60 kB in the %s build', (build) => {
    expect(statSync(join(ROOT, '.output', build, 'evidence.js')).size).toBeLessThan(60_000);
  });
});
