// Times the npm package (build/wasm/package) in Node, as a wallet would use
// it: instantiation, the cold path (a JSON account in, a report object out)
// and the tick path (a session with verified parameters and statement, one
// new signed snapshot per tick), for 1, 5 and 20 positions; and the package's
// compressed size. The signed fixtures come from
//   vmargin_bench_portable --session=DIR
// Usage: node bench_package.mjs <package dir> <fixtures dir>
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const [packageDir, fixtures] = process.argv.slice(2).map((p) => resolve(p));
const entry = pathToFileURL(join(packageDir, 'node.mjs')).href;

const gz = (files) => files.reduce((sum, f) => sum + gzipSync(readFileSync(join(packageDir, f)), { level: 9 }).length, 0);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const browser = ['vmargin.wasm', 'vmargin.browser.mjs', 'browser.mjs', 'api.mjs'];
const node = ['vmargin.wasm', 'vmargin.node.cjs', 'node.mjs', 'api.mjs'];
console.log(`package size, gzip -9: browser (wasm + JS) ${kb(gz(browser))}, of which wasm ${kb(gz(['vmargin.wasm']))}; node ${kb(gz(node))}`);

// Instantiation in a fresh process each time (compile + init), median of 5.
const inits = [];
for (let i = 0; i < 5; i += 1) {
  const script = `const t=performance.now();const m=await import(${JSON.stringify(entry)});await m.init();console.log(performance.now()-t)`;
  inits.push(Number(execFileSync('node', ['--input-type=module', '-e', script]).toString()));
}
inits.sort((a, b) => a - b);
console.log(`init() in a fresh Node process (import + compile + instantiate), median of 5: ${inits[2].toFixed(1)} ms`);

const { init } = await import(entry);
const vm = await init();

function time(fn, minMs = 500) {
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(minMs) * 1000000n) {
    calls += fn();
    elapsed = process.hrtime.bigint() - start;
  }
  return Number(elapsed) / 1000 / calls; // microseconds per call
}

console.log(`${'case'.padEnd(34)}${'us per call'.padStart(12)}`);
for (const n of [1, 5, 20]) {
  const dir = join(fixtures, `n${n}`);
  const input = JSON.parse(readFileSync(join(dir, 'input.json'), 'utf8'));
  const cold = time(() => {
    for (let i = 0; i < 16; i += 1) vm.evaluate(input);
    return 16;
  });
  const read = (f) => readFileSync(join(dir, f), 'utf8');
  const snapshots = readdirSync(dir)
    .filter((f) => f.startsWith('snapshot-'))
    .sort((a, b) => Number(a.match(/\d+/)[0]) - Number(b.match(/\d+/)[0]))
    .map(read);
  const docs = { trust: read('trust.json'), params: read('risk_parameters.signed'), statement: read('statement.signed') };
  let session = null;
  let elapsed = 0n;
  let ticks = 0;
  while (elapsed < 500000000n) {
    session = vm.openSession(docs); // not timed: a session is opened once per account
    const start = process.hrtime.bigint();
    for (const s of snapshots) session.tick(s);
    elapsed += process.hrtime.bigint() - start;
    ticks += snapshots.length;
    session.close();
  }
  console.log(`${`cold: evaluate(JSON account)/${n}`.padEnd(34)}${cold.toFixed(1).padStart(12)}`);
  console.log(`${`tick: session.tick(snapshot)/${n}`.padEnd(34)}${(Number(elapsed) / 1000 / ticks).toFixed(1).padStart(12)}`);
}
