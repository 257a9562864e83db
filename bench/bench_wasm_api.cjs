// Times the wasm module's JS functions in Node, strings in and out, on the
// example exchange: module instantiation, evaluate (full report) and
// largestOrder. Usage: node bench_wasm_api.cjs <vmargin.cjs> <examples dir>
'use strict';
const fs = require('fs');
const path = require('path');

function time(label, fn, minMs = 500) {
  let calls = 0;
  let batch = 1;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(minMs) * 1000000n) {
    for (let i = 0; i < batch; i++) fn();
    calls += batch;
    batch = Math.min(batch * 2, 4096);
    elapsed = process.hrtime.bigint() - start;
  }
  console.log(`${label.padEnd(40)} ${(Number(elapsed / BigInt(calls)) / 1000).toFixed(2).padStart(10)} us  (${calls} calls)`);
}

async function main() {
  const [modulePath, dir] = process.argv.slice(2);
  const wasmBinary = fs.readFileSync(path.resolve(modulePath).replace(/\.cjs$/, '.wasm'));
  const create = require(path.resolve(modulePath));
  const t0 = process.hrtime.bigint();
  const vm = await create({ wasmBinary });
  const t1 = process.hrtime.bigint();
  console.log(`${'instantiate (compile + init)'.padEnd(40)} ${(Number(t1 - t0) / 1000).toFixed(0).padStart(10)} us`);
  const read = (f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  const input = { risk_parameters: read('risk_parameters.json'), prices: read('prices.json'), account: read('account.json') };
  const text = JSON.stringify(input);
  const query = JSON.stringify({ ...input, query: { market: 'ETH-PERP', side: 'buy' } });
  if (vm.evaluate(text).startsWith('{"error"')) throw new Error(vm.evaluate(text));
  time('evaluate (JSON text in, report out)', () => vm.evaluate(text));
  time('largestOrder (ETH-PERP buy)', () => vm.largestOrder(query));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
