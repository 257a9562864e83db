// The npm package's watch book (openWatch): a plain book of 30 accounts over
// 40 price lines with a crash, checked line by line against the package's
// own stateless evaluate() of every account (each pool's status from the
// events, the system line's totals summed here exactly with bigints); the
// signed example through a signed book (replayed snapshot rejected, state
// token returned); bad lines are "rejected" events that change nothing;
// closed books and bad arguments are VMarginErrors; no heap growth over
// open/close cycles.
//
// Usage: node --expose-gc package_watch_test.mjs <package dir> <repo root>
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [packageDir, repo] = process.argv.slice(2).map((p) => resolve(p));
const { init, VMarginError } = await import(pathToFileURL(join(packageDir, 'node.mjs')).href);
const vm = await init();

let checks = 0;
const check = (name, fn) => {
  fn();
  checks += 1;
  console.log(`ok ${checks} - ${name}`);
};

const example = (file) => readFileSync(join(repo, 'examples', 'exchange', file), 'utf8');
const params = example('risk_parameters.json');
const baseAccount = JSON.parse(example('account.json'));
const basePrices = JSON.parse(example('prices.json'));

// Exact decimals as scaled bigints (18 places), for sums.
const SCALE = 10n ** 18n;
const dec = (text) => {
  const negative = text.startsWith('-');
  const [whole, frac = ''] = (negative ? text.slice(1) : text).split('.');
  const v = BigInt(whole) * SCALE + BigInt((frac + '0'.repeat(18)).slice(0, 18));
  return negative ? -v : v;
};

let seed = 12345;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};

const accounts = [];
for (let i = 0; i < 30; i += 1) {
  const a = structuredClone(baseAccount);
  a.id = `sub-${i}`;
  a.collateral.USDC = String(rand(40000));
  for (const p of Object.values(a.positions)) p.quantity = String((Number(p.quantity) * (1 + rand(25))) / 10);
  accounts.push(a);
}

check('plain book: every line checked against evaluate() of every account', () => {
  const book = vm.openWatch({ risk_parameters: params, insuranceFund: '5000' });
  for (const a of accounts) assert.deepEqual(book.addAccount(a), []); // waiting for the first prices
  let prices = structuredClone(basePrices);
  const status = new Map(); // "account pool" -> status; absent: healthy
  let lines = 0;
  let changes = 0;
  for (let t = 0; t < 40; t += 1) {
    if (t > 0) {
      prices = structuredClone(prices);
      prices.as_of += 1000;
      const move = t === 20 ? 0.55 : t === 30 ? 1.9 : 1 + (rand(41) - 20) / 1000;
      const btc = prices.feeds['BTC-USD'];
      btc.mark = (Math.round(Number(btc.mark) * move * 100) / 100).toFixed(2);
    }
    const events = book.push({ prices });
    for (const e of events) {
      if (e.type === 'status') {
        status.set(`${e.account} ${e.pool}`, e.to ?? 'healthy');
        changes += 1;
      }
    }
    const system = events.filter((e) => e.type === 'system');
    assert.equal(system.length, 1, `line ${t + 1}: one system line`);
    let equity = 0n;
    let maintenance = 0n;
    let shortfall = 0n;
    for (const a of accounts) {
      const r = vm.evaluate({ risk_parameters: JSON.parse(params), prices, account: a });
      const pools = [['cross', r.cross], ...Object.entries(r.isolated ?? {})];
      for (const [name, pool] of pools) {
        assert.equal(status.get(`${a.id} ${name}`) ?? 'healthy', pool.status, `line ${t + 1}: ${a.id} ${name}`);
        equity += dec(pool.equity);
        maintenance += dec(pool.maintenance_margin);
        shortfall += dec(pool.insurance_fund_shortfall);
      }
    }
    assert.equal(dec(system[0].total_equity), equity, `line ${t + 1}: total equity`);
    assert.equal(dec(system[0].total_maintenance_margin), maintenance, `line ${t + 1}: total maintenance`);
    assert.equal(dec(system[0].total_shortfall), shortfall, `line ${t + 1}: total shortfall`);
    lines += 1;
  }
  assert.ok(changes > 10, `the crash and the recovery change statuses (${changes})`);
  // A bad line is a rejection and changes nothing: the next line's events are as if it never came.
  const rejected = book.push('{"prices": {"as_of": 1, "feeds": {"BTC-USD": {"mark": "-5"}}}}');
  assert.equal(rejected.length, 1);
  assert.equal(rejected[0].type, 'rejected');
  assert.equal(book.push({ prices }).filter((e) => e.type === 'status').length, 0, 'same prices: no change');
  assert.equal(book.state, null);
  book.close();
  assert.equal(lines, 40);
});

check('events as text are the canonical lines the objects come from', () => {
  const book = vm.openWatch({ risk_parameters: JSON.parse(params) });
  book.addAccountText(accounts[0]);
  const text = book.pushText({ prices: basePrices });
  assert.ok(text.endsWith('\n'));
  assert.match(text, /^\{"accounts":1,"as_of":1795521600000,/);
  book.close();
});

check('signed book: the example snapshot accepted once, a replay rejected, the state token given', () => {
  const signed = (file) => readFileSync(join(repo, 'examples', 'signed', file), 'utf8');
  const book = vm.openWatch({ trust: signed('trust.json'), params: signed('risk_parameters.signed') });
  assert.deepEqual(book.addAccount(signed('statement.signed')), []);
  const first = book.push(signed('snapshot.signed'));
  const system = first.find((e) => e.type === 'system');
  assert.equal(system.source, 'load');
  assert.equal(system.snapshot, 'snap-2026-11-24T12:00:00Z');
  assert.equal(system.accounts, 1n);
  const replay = book.push(signed('snapshot.signed'));
  assert.equal(replay.length, 1);
  assert.equal(replay[0].type, 'rejected');
  assert.match(String(book.state), /^vmargin-state\/1:/);
  // The same account through verifyEvaluate: the same equity.
  const direct = vm.verifyEvaluate({
    trust: signed('trust.json'),
    params: signed('risk_parameters.signed'),
    snapshot: signed('snapshot.signed'),
    statement: signed('statement.signed'),
  });
  const pools = [direct.report.cross, ...Object.values(direct.report.isolated ?? {})];
  assert.equal(dec(system.total_equity), pools.reduce((sum, p) => sum + dec(p.equity), 0n));
  book.close();
});

check('closed books and bad arguments are VMarginErrors', () => {
  const book = vm.openWatch({ risk_parameters: params });
  book.close();
  book.close(); // idempotent
  assert.throws(() => book.push({ prices: basePrices }), (e) => e instanceof VMarginError && e.code === 'invalid_value');
  assert.throws(() => vm.openWatch({ risk_parameters: '{' }), (e) => e instanceof VMarginError && e.code === 'malformed_json');
  assert.throws(
    () => vm.openWatch({ risk_parameters: params, insuranceFund: '-1' }),
    (e) => e instanceof VMarginError && e.path === '/insurance_fund',
  );
  assert.throws(() => vm.openWatch(null), (e) => e instanceof VMarginError && e.code === 'wrong_type');
});

check('open/push/close cycles leave the heap as it was', () => {
  const cycle = () => {
    const book = vm.openWatch({ risk_parameters: params });
    for (const a of accounts.slice(0, 5)) book.addAccount(a);
    book.push({ prices: basePrices });
    book.close();
  };
  for (let i = 0; i < 20; i += 1) cycle();
  globalThis.gc?.();
  const before = vm.diagnostics().heapBytesInUse;
  for (let i = 0; i < 200; i += 1) cycle();
  globalThis.gc?.();
  const after = vm.diagnostics();
  assert.equal(after.openWatches, 0);
  assert.ok(after.heapBytesInUse <= before + 4096, `heap ${before} -> ${after.heapBytesInUse}`);
});

console.log(`1..${checks}`);
