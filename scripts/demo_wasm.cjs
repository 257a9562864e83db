// Verifies and evaluates the signed example through the wasm module in Node
// and prints its output. Usage: node demo_wasm.cjs <vmargin.cjs> <examples/signed>
'use strict';
const fs = require('fs');
const path = require('path');

const [modulePath, dir] = process.argv.slice(2);
const create = require(path.resolve(modulePath));
create({ wasmBinary: fs.readFileSync(path.resolve(modulePath).replace(/\.cjs$/, '.wasm')) }).then((vm) => {
  const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8');
  process.stdout.write(vm.verifyEvaluate(read('trust.json'), '', read('risk_parameters.signed'),
                                         read('snapshot.signed'), read('statement.signed')));
});
