/**
 * Builds the browser UI (ui/web/src) into ui/web/dist, which the scheduler's UI server serves at `/`.
 * `npm run build:ui` runs it; `npx vite --config ui/web/vite.config.ts` serves the sources with hot
 * reload and forwards the API to a scheduler on localhost:9080 (`npm start`).
 */
import { defineConfig } from 'vite';

const api = 'http://127.0.0.1:9080';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // React and the pages together are ~270 kB (80 kB gzipped): one chunk is simplest to serve.
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/ws': api, '/api': api, '/metrics': api, '/debug': api },
  },
});
