import { defineConfig } from 'vite';

// Bundles the partner CLI (shared/client/cli-entry.ts) into one Node module for package.json "bin".
export default defineConfig({
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
