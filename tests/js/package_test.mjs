// The npm package in Node: packed and installed like a user would, then its
// API checked: init memoised, plain objects, VMarginError, sessions, verify,
// health after 1,000 malformed calls, no heap growth over 10,000 calls, no
// eval in the output, a failed load rejecting clearly; and the usage example
// run from the installed package.
//
// Usage: node package_test.mjs <package dir> <repo root> <work dir>
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { canonical } from '../support/canonical_json.mjs';

const [packageDir, repo, work] = process.argv.slice(2).map((p) => resolve(p));
let checks = 0;
const check = (name, fn) => {
  fn();
  checks += 1;
  console.log(`ok ${checks} - ${name}`);
};

// 1. Pack and install into a fresh project: the exports map must resolve "vmargin".
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'app'), { recursive: true });
const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: packageDir })
  .toString()
  .trim()
  .split('\n')
  .pop();
writeFileSync(join(work, 'app', 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(work, tarball)], {
  cwd: join(work, 'app'),
});
cpSync(join(repo, 'wasm', 'examples', 'usage.mjs'), join(work, 'app', 'usage.mjs'));
const installed = join(work, 'app', 'node_modules', 'vmargin');
const { init, VMarginError } = await import(pathToFileURL(join(installed, 'node.mjs')).href);

const exchange = (name) => JSON.parse(readFileSync(join(repo, 'examples', 'exchange', name), 'utf8'));
const signed = (name) => readFileSync(join(repo, 'examples', 'signed', name), 'utf8');
const plainInput = {
  risk_parameters: exchange('risk_parameters.json'),
  prices: exchange('prices.json'),
  account: exchange('account.json'),
};
const signedInput = {
  trust: signed('trust.json'),
  params: signed('risk_parameters.signed'),
  snapshot: signed('snapshot.signed'),
  statement: signed('statement.signed'),
};

const first = init();
const vm = await first;
check('init() is memoised: one promise, one API object', () => {
  assert.equal(init(), first);
  assert.equal(typeof vm.version, 'string');
  assert.ok(Object.isFrozen(vm));
});

const reference = vm.evaluate(plainInput);
const cli = execFileSync(join(repo, 'build', 'gcc', 'native', 'vmargin'), [
    'eval',
    '--params',
    join(repo, 'examples/exchange/risk_parameters.json'),
    '--prices',
    join(repo, 'examples/exchange/prices.json'),
    '--account',
    join(repo, 'examples/exchange/account.json'),
    '--format',
    'json',
  ])
  .toString()
  .trimEnd();
check('plain objects in and out, integers as bigints; the report is byte for byte the native CLI\'s', () => {
  assert.equal(reference.account, 'acct-7');
  assert.equal(typeof reference.cross.equity, 'string');
  assert.equal(reference.as_of, 1795521600000n);
  assert.equal(canonical(reference), cli);
  assert.deepEqual(vm.evaluate(JSON.stringify(plainInput)), reference); // JSON text works too
});

check('errors are VMarginError with a stable code and the JSON path', () => {
  const bad = structuredClone(plainInput);
  bad.account.positions['BTC-PERP'].quantity = 1.5; // a number, not a decimal string
  assert.throws(
    () => vm.evaluate(bad),
    (e) =>
      e instanceof VMarginError &&
      e instanceof Error &&
      e.name === 'VMarginError' &&
      e.code === 'wrong_type' &&
      e.path === '/account/positions/BTC-PERP/quantity' &&
      e.message.startsWith('[vmargin.wrong_type] /account/positions/BTC-PERP/quantity: '),
  );
  assert.throws(() => vm.evaluate('{"risk_parameters": '), (e) => e.code === 'malformed_json');
});

const verified = vm.verifyEvaluate(signedInput);
check('signed inputs: verified, aggregated, evaluated', () => {
  assert.equal(verified.verification.snapshot.id, 'snap-2026-11-24T12:00:00Z');
  assert.deepEqual(
    verified.verification.messages.filter((m) => m.status === 'dropped').map((m) => m.reason),
    ['stale', 'unknown_key'],
  );
  assert.equal(verified.verification.feeds['BTC-USD'].mark, '61000');
});

check('sessions: a tick equals the one-shot verification; replays refused; close frees', () => {
  const before = vm.diagnostics().openSessions;
  const session = vm.openSession({ trust: signedInput.trust, params: signedInput.params, statement: signedInput.statement });
  assert.equal(vm.diagnostics().openSessions, before + 1);
  assert.deepEqual(session.tick(signedInput.snapshot), verified);
  assert.throws(() => session.tick(signedInput.snapshot), (e) => e.code === 'quorum_not_met');
  assert.deepEqual(session.state, verified.state);
  session.close();
  session.close();
  assert.ok(session.closed);
  assert.equal(vm.diagnostics().openSessions, before);
  assert.throws(() => session.tick(signedInput.snapshot), VMarginError);
  // The state a session returns (an opaque token) is accepted by the next one: the replay fails there too.
  assert.equal(typeof verified.state, 'string');
  const next = vm.openSession({ ...signedInput, state: verified.state });
  assert.throws(() => next.tick(signedInput.snapshot), (e) => e.code === 'quorum_not_met');
  next.close();
});

check('verify: every difference named with its path, both values and the inputs', () => {
  assert.equal(vm.verify(verified, verified.report).match, true);
  const published = structuredClone(verified.report);
  published.positions['BTC-PERP'].liquidation_price = '1';
  delete published.cross.health;
  published.extra = true;
  const c = vm.verify(verified, published);
  assert.equal(c.match, false);
  assert.deepEqual(
    c.differences.map((d) => [d.path, d.kind]),
    [
      ['/cross/health', 'missing'],
      ['/extra', 'extra'],
      ['/positions/BTC-PERP/liquidation_price', 'differs'],
    ],
  );
  assert.deepEqual(c.inputs, { as_of: 1795521600000n, risk_parameters_version: 12n, snapshot_id: 'snap-2026-11-24T12:00:00Z' });
  assert.throws(() => vm.verify(reference, reference), (e) => e.code === 'missing_field' && e.path === '/inputs');
  assert.equal(vm.verify(reference, reference, { risk_parameters_version: 12, as_of: 1795521600000 }).match, true);
});

// Malformed calls of every kind: the module must stay healthy.
const malformed = [
  () => vm.evaluate('{'),
  () => vm.evaluate('[]'),
  () => vm.evaluate('{"risk_parameters": {}, "prices": {}, "account": {}}'),
  () => vm.evaluate('\ufeff{}'),
  () => vm.evaluate('{"a": 1, "a": 2}'),
  () => vm.evaluate('['.repeat(10000)),
  () => vm.evaluate({ ...plainInput, prices: { as_of: 1, feeds: { 'BTC-USD': { mark: '1e5' } } } }),
  () => vm.evaluate({ ...plainInput, account: { id: 'x', collateral: { USDC: '9'.repeat(40) }, positions: {} } }),
  () => vm.largestOrder({ ...plainInput, query: { market: 'NOPE', side: 'buy' } }),
  () => vm.verifyEvaluate({ ...signedInput, snapshot: signedInput.snapshot.replace('"type"', '"typ"') }),
  () => vm.verifyEvaluate({ ...signedInput, params: signedInput.params.slice(0, -1) }),
  () => vm.verifyEvaluate({ ...signedInput, trust: '{"keys": 5}' }),
  () => vm.openSession({ trust: 'x', params: '', statement: '' }),
  () => vm.verify({}, {}, { risk_parameters_version: 1, as_of: 1 }),
];
let rejected = 0;
for (let i = 0; i < 1000; i += 1) {
  try {
    malformed[i % malformed.length]();
  } catch (e) {
    if (!(e instanceof VMarginError)) throw e;
    rejected += 1;
  }
}
check('after 1,000 malformed calls (all VMarginError) the next valid call is correct', () => {
  assert.equal(rejected, 1000);
  assert.deepEqual(vm.evaluate(plainInput), reference);
  assert.deepEqual(vm.verifyEvaluate(signedInput), verified);
});

check('no heap growth over 10,000 calls after warm-up', () => {
  const round = (i) => {
    switch (i % 5) {
      case 0:
        return vm.evaluate(plainInput);
      case 1:
        return vm.verifyEvaluate(signedInput);
      case 2: {
        const s = vm.openSession({ trust: signedInput.trust, params: signedInput.params, statement: signedInput.statement });
        s.tick(signedInput.snapshot);
        s.close();
        return null;
      }
      case 3:
        return vm.verify(verified, verified.report);
      default:
        try {
          malformed[i % malformed.length]();
        } catch {
          /* expected */
        }
        return null;
    }
  };
  for (let i = 0; i < 500; i += 1) round(i);
  const warm = vm.diagnostics();
  for (let i = 0; i < 10000; i += 1) round(i);
  const after = vm.diagnostics();
  assert.equal(after.heapBytesInUse, warm.heapBytesInUse, 'bytes allocated on the wasm heap');
  assert.equal(after.memoryBytes, warm.memoryBytes, 'wasm memory size');
  assert.equal(after.openSessions, 0);
  console.log(`# heap in use ${after.heapBytesInUse} bytes, memory ${after.memoryBytes} bytes, after 10,000 calls`);
});

check('the package has no eval or new Function (MV3 and strict CSP)', () => {
  for (const file of readdirSync(installed).filter((f) => /\.(m?js|cjs)$/.test(f))) {
    const source = readFileSync(join(installed, file), 'utf8');
    assert.ok(!/new Function\s*\(/.test(source), `${file} uses new Function`);
    assert.ok(!/[^\w.]eval\s*\(/.test(source), `${file} uses eval`);
  }
});

// A package whose wasm is missing: init rejects with a clear reason, twice.
const broken = join(work, 'broken');
cpSync(installed, broken, { recursive: true });
rmSync(join(broken, 'vmargin.wasm'));
const brokenModule = await import(pathToFileURL(join(broken, 'node.mjs')).href);
for (let attempt = 0; attempt < 2; attempt += 1) {
  let error = null;
  try {
    await brokenModule.init();
  } catch (e) {
    error = e;
  }
  check(`a failed load rejects with init_failed (attempt ${attempt + 1})`, () => {
    assert.ok(error instanceof brokenModule.VMarginError);
    assert.equal(error.code, 'init_failed');
    assert.match(error.detail, /could not be loaded/);
  });
}

const usage = execFileSync('node', ['usage.mjs', join(repo, 'examples', 'signed')], { cwd: join(work, 'app') }).toString();
check('the usage example runs from the installed package', () => {
  assert.match(usage, /account acct-7: healthy, margin ratio /);
  assert.match(usage, /replay refused: quorum_not_met/);
  assert.match(usage, /\/cross\/maintenance_margin: 2200 != 2214/);
  assert.match(usage, /rejected: /);
  assert.match(usage, /market: healthy at 33360, then /);
  assert.match(usage, /watch: acct-7 cross healthy -> (liquidatable|bankrupt)/);
});

console.log(`js package: ${checks} checks passed (${tarball})`);
