// Runs prepared conformance inputs through the wasm module in Node and prints
// one line per input: "<name>\t<output>". Usage:
//   node run_vectors_node.cjs <vmargin.cjs> <inputs dir> <list file>
// Each line of the list file is "<name>\t<operation>": evaluate and
// largest_order read <inputs dir>/<name>; verify_evaluate reads the signed
// files <name>.trust, .state (optional), .params, .snapshot, .statement.
'use strict';
const fs = require('fs');
const path = require('path');

async function main() {
  const [modulePath, inputsDir, listFile] = process.argv.slice(2);
  const create = require(path.resolve(modulePath));
  const wasmPath = path.resolve(modulePath).replace(/\.cjs$/, '.wasm');
  // Node 20's fetch cannot load a file path: hand the bytes over (TOOLCHAIN.md).
  const vm = await create({ wasmBinary: fs.readFileSync(wasmPath) });
  const names = fs.readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
  const lines = [];
  for (const line of names) {
    const [name, operation] = line.split('\t');
    const file = path.join(inputsDir, name);
    let output;
    if (operation === 'verify_evaluate') {
      const part = (p) => (fs.existsSync(`${file}.${p}`) ? fs.readFileSync(`${file}.${p}`, 'utf8') : '');
      output = vm.verifyEvaluate(part('trust'), part('state'), part('params'), part('snapshot'), part('statement'));
    } else {
      const input = fs.readFileSync(file, 'utf8');
      output = operation === 'largest_order' ? vm.largestOrder(input) : vm.evaluate(input);
    }
    lines.push(`${name}\t${output}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
