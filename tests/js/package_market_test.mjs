// The npm package's market handle (openMarket): every evaluation vector in
// tests/vectors gives through a handle exactly what the stateless evaluate()
// gives (the report object, its canonical text, or the VMarginError's code,
// path and message), with the documents as text and as objects, and so
// does largestOrder on every largest-order vector; a rejected
// price update changes nothing; a closed handle and every bad argument are
// VMarginErrors; open/evaluate/close cycles leave the heap as it was.
//
// Usage: node --expose-gc package_market_test.mjs <package dir> <repo root>
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { canonical } from '../support/canonical_json.mjs';

const [packageDir, repo] = process.argv.slice(2).map((p) => resolve(p));
const { init, VMarginError } = await import(pathToFileURL(join(packageDir, 'node.mjs')).href);
const vm = await init();

let checks = 0;
const check = (name, fn) => {
  fn();
  checks += 1;
  console.log(`ok ${checks} - ${name}`);
};

/** The output of a call: its canonical text, or the error as the engine writes it. */
const outcome = (fn) => {
  try {
    const value = fn();
    return typeof value === 'string' ? value : canonical(value);
  } catch (e) {
    if (!(e instanceof VMarginError)) throw e;
    return canonical({ error: { code: e.code, path: e.path, message: e.detail } });
  }
};

const files = (dir) =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]))
    .filter((f) => f.endsWith('.json'));

const vectors = files(join(repo, 'tests', 'vectors'))
  .map((file) => ({ file, v: JSON.parse(readFileSync(file, 'utf8')) }))
  .filter(({ v }) => {
    const input = v.input;
    return (
      (v.operation === undefined || v.operation === 'evaluate') &&
      input !== null &&
      typeof input === 'object' &&
      'risk_parameters' in input &&
      'prices' in input &&
      'account' in input
    );
  });

const isError = (text) => text.startsWith('{"error":');

check('every evaluation vector: a market handle gives the stateless result, as text and as objects', () => {
  let evaluated = 0;
  let refused = 0;
  for (const { file, v } of vectors) {
    const text = {
      risk_parameters: canonical(v.input.risk_parameters),
      prices: canonical(v.input.prices),
      account: canonical(v.input.account),
    };
    const scenario = v.input.scenario === undefined ? undefined : canonical(v.input.scenario);
    const combined = `{"account":${text.account},"prices":${text.prices},"risk_parameters":${text.risk_parameters}${
      scenario === undefined ? '' : `,"scenario":${scenario}`
    }}`;
    // The four documents only: members beyond them are the combined document's business.
    const { risk_parameters, prices, account } = v.input;
    const objects = { risk_parameters, prices, account, ...(v.input.scenario === undefined ? {} : { scenario: v.input.scenario }) };
    for (const [kind, docs, stateless] of [
      ['text', text, () => vm.evaluate(combined)],
      ['objects', objects, () => vm.evaluate(objects)],
    ]) {
      const expected = outcome(stateless);
      let market;
      const opened = outcome(() => {
        market = vm.openMarket({ risk_parameters: docs.risk_parameters, prices: docs.prices });
        return '{}';
      });
      if (market === undefined) {
        assert.ok(isError(expected), `${file} (${kind}): the handle refused what evaluate accepts: ${opened}`);
        const path = JSON.parse(expected).error.path;
        assert.match(path, /^\/(risk_parameters|prices|account|scenario)/, `${file} (${kind})`);
        if (/^\/(risk_parameters|prices)/.test(path)) assert.equal(opened, expected, `${file} (${kind})`);
        refused += 1;
        continue;
      }
      const what = kind === 'text' ? scenario : v.input.scenario;
      const account = kind === 'text' ? text.account : v.input.account;
      assert.equal(outcome(() => market.evaluate(account, what)), expected, `${file} (${kind}): evaluate`);
      assert.equal(outcome(() => market.evaluateText(account, what)), expected, `${file} (${kind}): evaluateText`);
      market.close();
      evaluated += 1;
    }
  }
  console.log(`# ${evaluated} evaluated, ${refused} refused at open, of ${vectors.length} vectors x 2`);
  assert.ok(evaluated > 200);
  assert.ok(refused > 40);
});

check('every largest-order vector: market.largestOrder gives vm.largestOrder\'s result', () => {
  let compared = 0;
  for (const file of files(join(repo, 'tests', 'vectors'))) {
    const v = JSON.parse(readFileSync(file, 'utf8'));
    if (v.operation !== 'largest_order' || v.input === undefined) continue;
    const { risk_parameters, prices, account, scenario, query } = v.input;
    // A missing member is a missing argument here (wrong_type), a missing field there.
    if ([risk_parameters, prices, account, query].includes(undefined)) continue;
    const docs = { risk_parameters, prices, account, query, ...(scenario === undefined ? {} : { scenario }) };
    let market;
    try {
      market = vm.openMarket({ risk_parameters, prices });
    } catch (e) {
      if (!(e instanceof VMarginError)) throw e;
      continue;
    }
    assert.equal(outcome(() => market.largestOrder(account, query, scenario)), outcome(() => vm.largestOrder(docs)), file);
    market.close();
    compared += 1;
  }
  assert.ok(compared > 10, `${compared} compared`);
});

const exchange = (name) => readFileSync(join(repo, 'examples', 'exchange', name), 'utf8');
const params = JSON.parse(exchange('risk_parameters.json'));
const prices = JSON.parse(exchange('prices.json'));
const account = JSON.parse(exchange('account.json'));

check('the report is the stateless one: an object with bigints, and its canonical text', () => {
  const market = vm.openMarket({ risk_parameters: params, prices });
  const reference = vm.evaluate({ risk_parameters: params, prices, account });
  const report = market.evaluate(account);
  assert.equal(report.as_of, 1795521600000n);
  assert.equal(report.risk_parameters_version, reference.risk_parameters_version);
  assert.deepEqual(report, reference);
  assert.equal(market.evaluateText(account), canonical(reference));
  assert.equal(market.evaluateText(exchange('account.json')), canonical(reference));
  market.close();
});

const expectError = (fn, code, path) =>
  assert.throws(fn, (e) => {
    assert.ok(e instanceof VMarginError, `not a VMarginError: ${e}`);
    assert.equal(e.code, code, e.message);
    if (path instanceof RegExp) assert.match(e.path, path);
    else assert.equal(e.path, path);
    return true;
  });

check('bad arguments are VMarginErrors with their paths', () => {
  expectError(() => vm.openMarket(null), 'wrong_type', '');
  expectError(() => vm.openMarket('{}'), 'wrong_type', '');
  expectError(() => vm.openMarket({ risk_parameters: 5, prices }), 'wrong_type', '/risk_parameters');
  expectError(() => vm.openMarket({ risk_parameters: params }), 'wrong_type', '/prices');
  expectError(() => vm.openMarket({ risk_parameters: params, prices: { ...prices, as_of: 2 ** 60 } }), 'wrong_type', '/prices/as_of');
  expectError(() => vm.openMarket({ risk_parameters: '{', prices }), 'malformed_json', /^\/risk_parameters/);
  // Rejected documents: the stateless evaluate's error, exactly.
  for (const docs of [
    { risk_parameters: { ...params, version: -1 }, prices },
    { risk_parameters: { ...params, margin_call_ratio: '0.5' }, prices },
    { risk_parameters: params, prices: { ...prices, extra: 1 } },
    { risk_parameters: params, prices: { ...prices, feeds: { 'BTC-USD': { mark: '-1' } } } },
  ]) {
    const stateless = outcome(() => vm.evaluate({ ...docs, account }));
    assert.match(JSON.parse(stateless).error.path, /^\/(risk_parameters|prices)/);
    assert.equal(outcome(() => vm.openMarket(docs)), stateless);
  }
  expectError(() => vm.openMarket({ risk_parameters: params, prices: { ...prices, extra: 1 } }), 'unknown_field', '/prices/extra');
  const market = vm.openMarket({ risk_parameters: params, prices });
  expectError(() => market.evaluate(42), 'wrong_type', '/account');
  expectError(() => market.evaluate(undefined), 'wrong_type', '/account');
  expectError(() => market.evaluate('{"id":'), 'malformed_json', /^\/account/);
  expectError(() => market.evaluate({ ...account, collateral: { USDC: 'x' } }), 'bad_decimal', '/account/collateral/USDC');
  expectError(() => market.evaluate(account, { shocks: { 'BTC-USD': '-1' } }), 'invalid_value', '/scenario/shocks/BTC-USD');
  expectError(() => market.evaluate(account, ''), 'malformed_json', /^\/scenario/);
  expectError(() => market.updatePrices(7), 'wrong_type', '/prices');
  // Each of those left the market usable and unchanged.
  assert.equal(market.evaluateText(account), canonical(vm.evaluate({ risk_parameters: params, prices, account })));
  market.close();
});

check('updatePrices replaces the prices; a rejected update changes nothing', () => {
  const market = vm.openMarket({ risk_parameters: params, prices: exchange('prices.json') });
  const before = market.evaluateText(account);
  for (const [bad, code] of [
    ['{', 'malformed_json'],
    [{ as_of: 1, feeds: [] }, 'wrong_type'],
    [{ as_of: 1, feeds: { 'BTC-USD': { mark: '0' } } }, null],
  ]) {
    const error = outcome(() => market.updatePrices(bad));
    if (typeof bad !== 'string') {
      // evaluate() takes members as objects only: a member given as text is a JSON string there.
      const stateless = outcome(() => vm.evaluate({ risk_parameters: params, prices: bad, account }));
      assert.ok(isError(stateless));
      assert.equal(error, stateless);
    }
    if (code !== null) assert.equal(JSON.parse(error).error.code, code);
    assert.match(JSON.parse(error).error.path, /^\/prices/);
    assert.equal(market.evaluateText(account), before);
  }
  const moved = { as_of: prices.as_of + 60000, feeds: { ...prices.feeds, 'BTC-USD': { ...prices.feeds['BTC-USD'], mark: '55000' } } };
  market.updatePrices(moved);
  const after = market.evaluateText(account);
  assert.notEqual(after, before);
  assert.equal(after, canonical(vm.evaluate({ risk_parameters: params, prices: moved, account })));
  market.updatePrices(canonical(prices));
  assert.equal(market.evaluateText(account), before);
  market.close();
});

check('a closed market: every call is invalid_value; close is idempotent; dispose closes', () => {
  const market = vm.openMarket({ risk_parameters: params, prices });
  assert.equal(market.closed, false);
  market.close();
  market.close();
  assert.equal(market.closed, true);
  expectError(() => market.evaluate(account), 'invalid_value', '');
  expectError(() => market.evaluateText(account), 'invalid_value', '');
  expectError(() => market.updatePrices(prices), 'invalid_value', '');
  expectError(() => market.largestOrder(account, { market: 'BTC-PERP', side: 'buy' }), 'invalid_value', '');
  if (typeof Symbol.dispose === 'symbol') {
    const disposed = vm.openMarket({ risk_parameters: params, prices });
    disposed[Symbol.dispose]();
    assert.equal(disposed.closed, true);
    expectError(() => disposed.evaluate(account), 'invalid_value', '');
  }
  assert.equal(vm.diagnostics().openMarkets, 0);
});

check('no leak: 300 open / evaluate / update / close cycles leave the heap as it was', () => {
  const cycle = () => {
    const market = vm.openMarket({ risk_parameters: params, prices });
    market.evaluate(account);
    market.updatePrices(prices);
    outcome(() => market.updatePrices('{'));
    outcome(() => market.evaluate('{'));
    market.close();
  };
  for (let i = 0; i < 20; i += 1) cycle(); // warm up: the module's one-time allocations
  globalThis.gc?.();
  const before = vm.diagnostics().heapBytesInUse;
  for (let i = 0; i < 300; i += 1) cycle();
  globalThis.gc?.();
  const after = vm.diagnostics();
  assert.equal(after.openMarkets, 0);
  assert.ok(after.heapBytesInUse <= before, `heap in use grew from ${before} to ${after.heapBytesInUse} bytes`);
  // Many markets open at once are freed by close too.
  const many = Array.from({ length: 50 }, () => vm.openMarket({ risk_parameters: params, prices }));
  assert.equal(vm.diagnostics().openMarkets, 50);
  for (const m of many) m.close();
  assert.equal(vm.diagnostics().heapBytesInUse <= before, true);
});

console.log(`1..${checks}`);
