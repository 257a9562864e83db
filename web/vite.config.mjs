// The web page: `make web` serves it, `make test` builds it (build/web/dist)
// and drives it in Chromium. The engine is the npm package built by the wasm
// preset (build/wasm/package); the data (the signed example, the live
// stream, the published results) is prepared by scripts/web_data.sh into
// build/web/public.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = resolve(import.meta.dirname, '..');

export default defineConfig({
  root: resolve(root, 'web'),
  publicDir: resolve(root, 'build/web/public'),
  base: './',
  resolve: { alias: { vmargin: resolve(root, 'build/wasm/package/browser.mjs') } },
  worker: { format: 'es' },
  build: {
    outDir: resolve(root, 'build/web/dist'),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false }, // every supported browser has modulepreload: one request less before the engine starts
    rollupOptions: {
      input: { main: resolve(root, 'web/index.html'), conformance: resolve(root, 'web/conformance.html') },
    },
  },
  server: { port: 5173, strictPort: false, fs: { allow: [root] } },
  preview: { port: 4173 },
});
