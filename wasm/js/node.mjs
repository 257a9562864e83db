// Node entry point. Emscripten 3.1.6's ES-module output does not load under
// Node (it uses __dirname), so Node gets the CommonJS build. The wasm is
// compiled once from the package's file (Node 20's fetch cannot load a file
// path) and instantiated through instantiateWasm: asynchronously at init(),
// synchronously when a trapped instance (out of memory) must be replaced.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

import { VMarginError, memoisedInit } from './api.mjs';

const require = createRequire(import.meta.url);

export { VMarginError };

let compiled = null;

// Emscripten 3.1.6's Node glue adds process-wide 'uncaughtException' and
// 'unhandledRejection' listeners per instance; they would keep every replaced
// instance (and its memory) alive and turn the application's own unhandled
// rejections into crashes, so they are removed again.
const LISTENED = ['uncaughtException', 'unhandledRejection'];
function withoutGlueListeners(create) {
  const before = LISTENED.map((event) => new Set(process.listeners(event)));
  try {
    return create();
  } finally {
    LISTENED.forEach((event, i) => {
      for (const listener of process.listeners(event)) if (!before[i].has(listener)) process.off(event, listener);
    });
  }
}

/** Loads the engine once; later calls return the same API object. */
export const init = memoisedInit({
  async create(options) {
    const createVMarginModule = require('./vmargin.node.cjs');
    if (compiled === null) compiled = await WebAssembly.compile(await readFile(new URL('./vmargin.wasm', import.meta.url)));
    const module = compiled;
    return withoutGlueListeners(() =>
      createVMarginModule({
      ...options,
      instantiateWasm(imports, receive) {
          WebAssembly.instantiate(module, imports).then((instance) => receive(instance));
          return {};
        },
      }),
    );
  },
  createSync(options) {
    const createVMarginModule = require('./vmargin.node.cjs');
    const module = {
      ...options,
      instantiateWasm(imports, receive) {
        receive(new WebAssembly.Instance(compiled, imports));
        return {};
      },
    };
    // With a synchronous instantiation the module is ready on return.
    withoutGlueListeners(() => createVMarginModule(module));
    if (typeof module.evaluate !== 'function') throw new Error('the module did not start synchronously');
    return module;
  },
});
