// The market handle (issue 14) against the stateless evaluate, in one run,
// in Node, through the npm package: the issue's universe (10 linear
// perpetuals, 11 collateral assets, 20 feeds; 20 perpetuals for the
// 20-position account, since an account holds one position per market) and
// cross accounts of 1, 5 and 20 positions. Every figure is the full report
// (every liquidation and bankruptcy price). The handle's report is checked
// byte for byte against the stateless one before anything is timed.
// Usage: node bench_market.mjs <package dir>
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [packageDir] = process.argv.slice(2).map((p) => resolve(p));
const { init } = await import(pathToFileURL(join(packageDir, 'node.mjs')).href);
const vm = await init();

const id = (prefix, i) => `${prefix}${String(i).padStart(2, '0')}`;
const price = (i) => `${1000 + 37 * i}.123456789`;
const tier = (cap, im, mm, ima, mma) => ({
  max_notional: cap,
  initial_rate: im,
  maintenance_rate: mm,
  initial_amount: ima,
  maintenance_amount: mma,
});

/** `markets` perpetuals on F00.., 20 feeds, USDC and 10 coins priced by F10..F19. */
function universe(markets) {
  const feeds = {};
  const risk = {};
  for (let i = 0; i < 20; i += 1) {
    feeds[id('F', i)] = { mark: price(i), stable: `${1000 + 37 * i - 10}`, volatility: '0.6' };
    if (i % 2 === 0) risk[id('F', i)] = { volatility_reference: '0.5', max_volatility_multiplier: '2' };
  }
  const assets = {
    USDC: {
      feed: null,
      initial_weight: '1',
      maintenance_weight: '1',
      initial_liability_weight: '1',
      maintenance_liability_weight: '1',
      size_factor: '0',
      volatility_haircut: '0',
    },
  };
  for (let i = 0; i < 10; i += 1) {
    assets[id('A', i)] = {
      feed: id('F', 10 + i),
      initial_weight: '0.8',
      maintenance_weight: '0.9',
      initial_liability_weight: '1.25',
      maintenance_liability_weight: '1.1',
      size_factor: '0.0001',
      volatility_haircut: '0.05',
    };
  }
  const perps = {};
  for (let i = 0; i < markets; i += 1) {
    perps[`${id('M', i)}-PERP`] = {
      kind: 'linear_perpetual',
      feed: id('F', i),
      settlement_asset: 'USDC',
      tick_size: '0.01',
      lot_size: '0.001',
      tiers: [
        tier('100000', '0.02', '0.01', '0', '0'),
        tier('1000000', '0.04', '0.02', '2000', '1000'),
        tier(null, '0.1', '0.05', '62000', '31000'),
      ],
      size_premium_factor: '0.0005',
      liquidation_fee_rate: '0.005',
    };
  }
  return {
    risk_parameters: {
      version: 1,
      margin_call_ratio: '1.25',
      liquidation_buffer_ratio: '0.02',
      assets,
      feeds: risk,
      markets: perps,
    },
    prices: { as_of: 1700000000000, feeds },
  };
}

function account(n) {
  const positions = {};
  for (let i = 0; i < n; i += 1) {
    positions[`${id('M', i)}-PERP`] = {
      quantity: `${i % 2 ? '-' : ''}${(i + 3) / 2}`,
      entry_price: price(i + (i % 2 ? -20 : 20)),
      pending_funding: '0.25',
    };
  }
  return { id: 'bench', collateral: { A00: '3', A01: '-2', A05: '40', USDC: '100000' }, positions };
}

/** Canonical JSON as the engine writes it (sorted keys, bigints as digits). */
const canonical = (v) =>
  typeof v === 'bigint'
    ? v.toString()
    : Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : v !== null && typeof v === 'object'
        ? `{${Object.keys(v)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
            .join(',')}}`
        : JSON.stringify(v);

function time(fn, minMs = 400) {
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(minMs) * 1000000n) {
    for (let i = 0; i < 8; i += 1) fn();
    calls += 8;
    elapsed = process.hrtime.bigint() - start;
  }
  return Number(elapsed) / 1000 / calls; // microseconds per call
}
/** The median of 3 timings, so that one slow slice of a shared machine does not decide. */
const median = (fn) => [time(fn), time(fn), time(fn)].sort((a, b) => a - b)[1];

const targets = { 1: 10, 5: 25, 20: 80 };
console.log(
  `${'positions'.padEnd(10)}${'inputs'.padStart(9)}${'stateless'.padStart(11)}${'handle'.padStart(9)}${'text'.padStart(9)}` +
    `${'handle/stateless'.padStart(18)}${'target'.padStart(8)}${'prices'.padStart(9)}   (us per call; inputs: params + prices bytes)`,
);
for (const n of [1, 5, 20]) {
  const u = universe(Math.max(10, n));
  const acct = account(n);
  const acctText = JSON.stringify(acct);
  const input = { ...u, account: acct };
  const market = vm.openMarket(u);
  const reference = canonical(vm.evaluate(input));
  if (canonical(market.evaluate(acct)) !== reference || market.evaluateText(acctText) !== reference)
    throw new Error(`${n} positions: the handle's report differs from the stateless one`);
  const bytes = JSON.stringify(u.risk_parameters).length + JSON.stringify(u.prices).length;
  const stateless = median(() => vm.evaluate(input));
  const handle = median(() => market.evaluate(acct));
  const text = median(() => market.evaluateText(acctText));
  const tick = median(() => market.updatePrices(u.prices));
  console.log(
    `${String(n).padEnd(10)}${String(bytes).padStart(9)}${stateless.toFixed(1).padStart(11)}${handle.toFixed(1).padStart(9)}` +
      `${text.toFixed(1).padStart(9)}${(handle / stateless).toFixed(3).padStart(18)}${`<=${targets[n]}`.padStart(8)}${tick.toFixed(1).padStart(9)}`,
  );
  market.close();
}
console.log(
  'stateless: vm.evaluate({risk_parameters, prices, account}) (objects); handle: market.evaluate(account object) -> report object;\n' +
    'text: market.evaluateText(account JSON text) -> canonical text; prices: market.updatePrices(prices object), 20 feeds',
);
