// @ts-check
// A wallet's view of an account, with the vmargin package in Node:
// verify the exchange's signed documents, evaluate, follow a new snapshot
// per tick, and check the exchange's published numbers field by field.
// Run by make test (tests/js/package_test.mjs) from an installed package;
// type-checked with tsc --strict against the package's index.d.ts.
//
//   node usage.mjs <examples/signed directory>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { init, VMarginError } from 'vmargin';

const dir = process.argv[2] ?? 'examples/signed';
/** @param {string} name */
const read = (name) => readFileSync(join(dir, name), 'utf8');

const vm = await init();

// 1. One-shot: every signature and oracle rule checked, then the report.
const result = vm.verifyEvaluate({
  trust: read('trust.json'),
  params: read('risk_parameters.signed'),
  snapshot: read('snapshot.signed'),
  statement: read('statement.signed'),
});
const cross = result.report.cross;
/** @type {bigint} */
const version = result.verification.risk_parameters.version; // integers are bigints: exact past 2^53
console.log(`parameters v${version}, snapshot at ${new Date(Number(result.report.as_of)).toISOString()}`);
console.log(`account ${result.report.account}: ${cross.status}, margin ratio ${cross.margin_ratio}`);
for (const [market, p] of Object.entries(result.report.positions)) {
  console.log(`  ${market}: liquidation ${p.liquidation_price ?? '-'}, bankruptcy ${p.bankruptcy_price ?? '-'}`);
}
for (const m of result.verification.messages) {
  if (m.status === 'dropped') console.log(`  oracle message ${m.index} dropped: ${m.reason}`);
}

// 2. Real time: parameters and statement verified once, one tick per snapshot.
// (result.state is an opaque, checked string: keep it unchanged and pass it
// back as `state` next time; then this snapshot would be refused as a replay.)
const session = vm.openSession({
  trust: read('trust.json'),
  params: read('risk_parameters.signed'),
  statement: read('statement.signed'),
});
try {
  const tick = session.tick(read('snapshot.signed'));
  console.log(`tick: equity ${tick.report.cross.equity} at ${tick.verification.snapshot.id}`);
  session.tick(read('snapshot.signed')); // the same snapshot again is a replay
} catch (e) {
  if (!(e instanceof VMarginError)) throw e;
  console.log(`replay refused: ${e.code}`);
} finally {
  session.close();
}

// 3. The exchange published its numbers: do they match, field by field?
const published = structuredClone(result.report);
published.cross.maintenance_margin = '2200';
const comparison = vm.verify(result, published);
console.log(comparison.match ? 'published results match' : 'published results differ:');
for (const d of comparison.differences) console.log(`  ${d.path}: ${String(d.published)} != ${String(d.recomputed)}`);

// 4. Bad input is a typed error naming the field, and changes nothing.
try {
  vm.evaluate({
    risk_parameters: JSON.parse(read('trust.json')),
    prices: { as_of: 0, feeds: {} },
    account: { id: 'x', collateral: {}, positions: {} },
  });
} catch (e) {
  if (e instanceof VMarginError) console.log(`rejected: ${e.code} at ${e.path}`);
}

// 5. Many accounts against one market: plain risk parameters and prices
// (here the exchange example next to the signed one) read and validated
// once; each account then costs its own reading and evaluation only.
const exchange = join(dir, '..', 'exchange');
/** @param {string} name */
const plain = (name) => readFileSync(join(exchange, name), 'utf8');
const market = vm.openMarket({ risk_parameters: plain('risk_parameters.json'), prices: JSON.parse(plain('prices.json')) });
try {
  const account = JSON.parse(plain('account.json'));
  const report = market.evaluate(account); // the same report as vm.evaluate({risk_parameters, prices, account})
  const lower = { ...JSON.parse(plain('prices.json')), as_of: report.as_of + 60000n };
  lower.feeds['BTC-USD'].mark = '55000';
  market.updatePrices(lower); // a tick: on an error the prices stay as they were
  console.log(`market: ${report.cross.status} at ${report.cross.equity}, then ${market.evaluate(account).cross.equity}`);
  /** @type {string} */
  const text = market.evaluateText(account); // the canonical JSON, byte for byte the native engine's
  console.log(`market report text: ${text.length} bytes`);
} finally {
  market.close();
}

// A watch book: sub-accounts kept evaluated, the events of each price line.
const book = vm.openWatch({ risk_parameters: plain('risk_parameters.json'), insuranceFund: '100000' });
try {
  book.addAccount(JSON.parse(plain('account.json')));
  const crash = JSON.parse(plain('prices.json'));
  book.push({ prices: crash });
  crash.feeds['BTC-USD'].mark = '30000';
  crash.as_of += 1000;
  for (const e of book.push({ prices: crash })) {
    if (e.type === 'status') console.log(`watch: ${e.account} ${e.pool} ${e.from} -> ${e.to}`);
  }
} finally {
  book.close();
}
