import { defineConfig } from 'vite';

// Preact's JSX runtime, no framework plugin: the UI has no fast-refresh needs worth a Babel pipeline.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:3007' } },
});
