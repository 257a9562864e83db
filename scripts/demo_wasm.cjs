// Evaluates one account through the wasm module in Node and prints the
// canonical report. Usage: node demo_wasm.cjs <vmargin.cjs> <params> <prices> <account>
'use strict';
const fs = require('fs');
const path = require('path');

const [modulePath, params, prices, account] = process.argv.slice(2);
const create = require(path.resolve(modulePath));
create({ wasmBinary: fs.readFileSync(path.resolve(modulePath).replace(/\.cjs$/, '.wasm')) }).then((vm) => {
  const read = (f) => fs.readFileSync(f, 'utf8');
  process.stdout.write(vm.evaluateDocuments(read(params), read(prices), read(account)));
});
