import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// Bundles the partner CLI (shared/client/cli-entry.ts) into one Node module for package.json "bin".
export default defineConfig({
  define: { __FLAGLINE_VERSION__: JSON.stringify(version) },
  build: {
    ssr: 'shared/client/cli-entry.ts',
    outDir: 'dist',
    emptyOutDir: false,
    target: 'node20',
    rollupOptions: { output: { entryFileNames: 'flagline.mjs', format: 'es' } },
    ssrEmitAssets: false,
  },
  ssr: { noExternal: true },
  logLevel: 'warn',
});
