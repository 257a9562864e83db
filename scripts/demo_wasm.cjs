// Evaluates an example through the wasm module in Node and prints its output.
// Usage: node demo_wasm.cjs <vmargin.cjs> <examples/signed>
//        node demo_wasm.cjs <vmargin.cjs> --plain <dir with risk_parameters.json, prices.json, account.json>
'use strict';
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const modulePath = args[0];
const plain = args[1] === '--plain';
const dir = plain ? args[2] : args[1];
const create = require(path.resolve(modulePath));
create({ wasmBinary: fs.readFileSync(path.resolve(modulePath).replace(/\.cjs$/, '.wasm')) }).then((vm) => {
  const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8');
  if (plain) {
    process.stdout.write(vm.evaluateDocuments(read('risk_parameters.json'), read('prices.json'), read('account.json')));
  } else {
    process.stdout.write(vm.verifyEvaluate(read('trust.json'), '', read('risk_parameters.signed'),
                                           read('snapshot.signed'), read('statement.signed')));
  }
});
