import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript helper shared with `npm start`
import { ROOT, bin } from '../../scripts/lib/env.mjs';

const FIREFOX = join(ROOT, '.output', 'firefox-mv3');
const CHROME = join(ROOT, '.output', 'chrome-mv3');
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

describe('the built extension', () => {
  beforeAll(() => {
    // npm test builds both first; without a build these checks would have nothing to look at.
    for (const dir of [CHROME, FIREFOX]) expect(existsSync(join(dir, 'manifest.json')), `${dir} is built`).toBe(true);
  });

  it("should pass Mozilla's addons-linter with no errors", () => {
    const run = spawnSync(bin('addons-linter'), [FIREFOX, '--output', 'json'], { encoding: 'utf8' });
    const report = JSON.parse(run.stdout);
    expect(report.errors).toEqual([]);
    expect(report.summary.errors).toBe(0);
  });

  it('should ask at install only for the API origin; reading every site is an optional grant', () => {
    for (const dir of [CHROME, FIREFOX]) {
      const m = manifest(dir);
      expect(m.manifest_version).toBe(3);
      // Both names of this computer: Firefox needs a grant for each (a localhost endpoint failed without one).
      expect(m.host_permissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
      expect(m.optional_host_permissions).toEqual(['<all_urls>']);
      expect(m.permissions).not.toContain('tabs');
      expect(m.content_scripts).toBeUndefined();
    }
    expect(manifest(FIREFOX).browser_specific_settings.gecko.id).toBe('extension@flagline.dev');
  });

  it('should carry a toolbar icon at every size Chrome and Firefox ask for, each a PNG of that size', () => {
    for (const dir of [CHROME, FIREFOX]) {
      const icons = manifest(dir).icons as Record<string, string>;
      expect(Object.keys(icons)).toEqual(['16', '32', '48', '96', '128']);
      for (const [size, file] of Object.entries(icons)) {
        const png = readFileSync(join(dir, file));
        expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
        // IHDR: width and height, big-endian, right after the signature and the chunk header.
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([Number(size), Number(size)]);
      }
    }
  });

  it('should hold no code that captures the screen or reads image pixels', () => {
    // The polyfill's table of API signatures names captureVisibleTab; nothing may call it, or read pixels.
    const calls = spawnSync('grep', ['-rlE', '(captureVisibleTab|captureTab|toDataURL|getImageData|toBlob)\\(', CHROME, FIREFOX], { encoding: 'utf8' });
    // grep answers 1 for "nothing found" and 2 for an error (a missing folder): only 1 passes.
    expect([calls.status, calls.stdout]).toEqual([1, '']);
    const source = spawnSync('grep', ['-rlE', 'captureVisibleTab|captureTab|toDataURL|getImageData|toBlob', join(ROOT, 'extension')], { encoding: 'utf8' });
    expect([source.status, source.stdout]).toEqual([1, '']);
  });
});
