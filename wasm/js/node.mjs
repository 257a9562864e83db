// Node entry point. Emscripten 3.1.6's ES-module output does not load under
// Node (it uses __dirname), so Node gets the CommonJS build, with the wasm
// bytes handed over (Node 20's fetch cannot load a file path).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

import { VMarginError, memoisedInit } from './api.mjs';

const require = createRequire(import.meta.url);

export { VMarginError };

/** Loads the engine once; later calls return the same API object. */
export const init = memoisedInit(async () => {
  const createVMarginModule = require('./vmargin.node.cjs');
  const wasmBinary = await readFile(new URL('./vmargin.wasm', import.meta.url));
  return createVMarginModule({ wasmBinary });
});
