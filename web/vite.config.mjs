// The web page: `make web` serves it, `make test` builds it (build/web/dist)
// and drives it in Chromium. The engine is the npm package built by the wasm
// preset (build/wasm/package); the data (the signed example, the live
// stream, the published results) is prepared by scripts/web_data.sh into
// build/web/public.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = resolve(import.meta.dirname, '..');

// The engine's worker is started, and the example's files are fetched, by a
// tiny script in index.html's head, while the page's own module is still
// loading: the WebAssembly engine (the longest step before the first
// verified render) starts a hundred or so ms earlier. main.js takes them over
// (window.vmarginWorker, window.vmarginFetches; the first load only) and
// otherwise does it itself (vite dev).
// the files main.js's loadExample() reads first
const EXAMPLE_FILES = ['./signed/trust.json', './signed/risk_parameters.signed', './signed/snapshot.signed', './signed/statement.signed', './published.json', './stream/index.json'];
const earlyWorker = {
  name: 'vmargin-early-worker',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    handler(html, ctx) {
      if (!ctx.bundle || !ctx.filename.endsWith('index.html')) return html;
      const worker = Object.keys(ctx.bundle).find((f) => /engine\.worker-[^/]*\.js$/.test(f));
      if (!worker) throw new Error('vmargin-early-worker: the engine worker is not in the bundle');
      const start = [
        `window.vmarginWorker = new Worker(${JSON.stringify(`./${worker}`)}, { type: 'module' });`,
        // the example's files, fetched meanwhile too (main.js awaits these promises)
        `window.vmarginFetches = Object.fromEntries(${JSON.stringify(EXAMPLE_FILES)}.map((f) => [f, fetch(f)]));`,
      ].join('\n');
      return { html, tags: [{ tag: 'script', children: start, injectTo: 'head' }] };
    },
  },
};

export default defineConfig({
  root: resolve(root, 'web'),
  publicDir: resolve(root, 'build/web/public'),
  base: './',
  resolve: { alias: { vmargin: resolve(root, 'build/wasm/package/browser.mjs') } },
  plugins: [earlyWorker],
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
