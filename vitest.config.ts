import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
// @ts-expect-error plain JavaScript helper shared with `npm start`
import { newSigningKeyJwk } from './scripts/lib/signing-key.mjs';

const migrations = await readD1Migrations(fileURLToPath(new URL('./worker/migrations', import.meta.url)));

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['test/shared/**/*.test.ts', 'test/tooling/**/*.test.ts', 'test/extension/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        // The extension's storage, alarms and messaging in Node, on WXT's fake browser: outbox and list sync.
        plugins: [WxtVitest()],
        // What wxt.config.ts defines at build time.
        define: { __FLAGLINE_DEFAULT_API__: JSON.stringify('http://127.0.0.1:8787'), __FLAGLINE_WORKBENCH__: JSON.stringify('') },
        test: { name: 'extension', include: ['test/extension/fake-browser/**/*.test.ts'], environment: 'node' },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.jsonc' },
            // A flag budget small enough for a test to spend (wrangler.jsonc: 2000 an hour).
            miniflare: { bindings: { TEST_MIGRATIONS: migrations, SIGNING_KEY: newSigningKeyJwk(), FLAGS_PER_ORG_PER_HOUR: '300' } },
          }),
        ],
        test: { name: 'worker', include: ['test/worker/**/*.test.ts'], setupFiles: ['./test/worker/apply-migrations.ts'] },
      },
      {
        // `npm run bench` only: figures at 1,000,000 entries, never part of `npm test`.
        test: { name: 'bench', include: ['test/bench/*.bench.ts'], environment: 'node', testTimeout: 600_000 },
      },
      {
        // `npm run load` only: many analysts at once against a fresh local worker, never part of `npm test`.
        test: { name: 'load', include: ['test/load/*.load.ts'], environment: 'node', testTimeout: 600_000, hookTimeout: 120_000 },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/extension/*.test.ts', 'test/partner/*.test.ts', 'test/hostile/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
