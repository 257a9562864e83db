// Runs an Emscripten main program (.cjs + .wasm) in Node 20. Node's global
// fetch cannot load a file path (TOOLCHAIN.md), and the generated loader
// prefers fetch when it exists: hide it so the loader reads the file.
// Usage: node run_wasm_program.cjs <program.cjs> [args...]
'use strict';
const path = require('path');
const program = path.resolve(process.argv[2]);
process.argv.splice(2, 1);  // the program sees only its own arguments
globalThis.fetch = undefined;
require(program);
