// Browser, Web Worker and extension entry point: the ES-module build. The
// wasm file sits beside this module and is found through import.meta.url
// (bundlers such as Vite follow that reference and copy the file).
import createVMarginModule from './vmargin.browser.mjs';
import { VMarginError, memoisedInit } from './api.mjs';

export { VMarginError };

/** Loads the engine once; later calls return the same API object. */
export const init = memoisedInit(() =>
  createVMarginModule({
    locateFile: (file) => new URL(file === 'vmargin.browser.wasm' ? 'vmargin.wasm' : file, import.meta.url).href,
  }),
);
