// Browser, Web Worker and extension entry point: the ES-module build. Its
// loader finds vmargin.wasm next to itself through
// new URL("vmargin.wasm", import.meta.url), which bundlers such as Vite
// follow (they copy the file and rewrite the URL). A trapped instance (out of
// memory) is replaced asynchronously.
import createVMarginModule from './vmargin.browser.mjs';
import { VMarginError, memoisedInit } from './api.mjs';

export { VMarginError };

/** Loads the engine once; later calls return the same API object. */
export const init = memoisedInit({ create: (options) => createVMarginModule(options) });
