// The npm package's integers, state and errors (issue 18, defects 3 and 10):
// - integers beyond 2^53 (versions, sequences, times) cross to JS exactly,
//   as bigints, and the outputs are byte for byte the native CLI's;
// - the acceptance state is an opaque token: passed back it refuses a second
//   parameters document under a large version (equivocation), an older one
//   (rollback) and a replayed snapshot with large sequences and times; a
//   modified, cut-short or rebuilt state is a typed error, never a fresh start;
// - every wrong value a caller can pass is a VMarginError with a code (and a
//   path), the module stays usable and its heap does not grow;
// - a call that runs the wasm out of memory is a VMarginError
//   (out_of_memory), the trapped instance is replaced, nothing leaks.
//
// The fixtures are the bundled signed example, shifted past 2^53 and signed
// again with test keys by the native CLI (vmargin keygen/sign).
//
// Usage: node package_integers_errors_test.mjs <package dir> <repo root> <work dir> <small-memory module dir>
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { canonical } from '../support/canonical_json.mjs';

const [packageDir, repo, work, smallMemoryDir] = process.argv.slice(2).map((p) => resolve(p));
let checks = 0;
const check = (name, fn) => {
  fn();
  checks += 1;
  console.log(`ok ${checks} - ${name}`);
};

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const cli = join(repo, 'build', 'gcc', 'native', 'vmargin');
const { init, VMarginError } = await import(pathToFileURL(join(packageDir, 'node.mjs')).href);
const vm = await init();

// --- fixtures past 2^53 ------------------------------------------------------
const TWO53 = 2n ** 53n;
// Odd and = 1 mod 4: a JS number rounds every shifted value down (ties to even).
const SHIFT = TWO53 + 1n;
const VERSION = TWO53 + 1n;

/** JSON.parse keeping every integer exact (as a bigint). */
const exactParse = (text) =>
  JSON.parse(text.replace(/("(?:[^"\\]|\\.)*")|(-?\d+)(?![.\deE])/g, (m, s, n) => (s ? s : `"\\u0000${n}"`)), (k, v) =>
    typeof v === 'string' && v.startsWith('\u0000') ? BigInt(v.slice(1)) : v,
  );

const example = (name) => readFileSync(join(repo, 'examples', 'signed', name), 'utf8');
const trustExample = JSON.parse(example('trust.json'));
const keyFile = {};
/** A key file for the id (the example also signs with a key its trust store lacks). */
const keyOf = (id) => {
  if (!(id in keyFile)) {
    const seed = createHash('sha256').update(`vmargin package test key: ${id}`).digest('hex');
    keyFile[id] = join(work, `${id}.key`);
    writeFileSync(keyFile[id], execFileSync(cli, ['keygen', '--seed', seed]));
  }
  return keyFile[id];
};
const trust = { keys: {} };
for (const [id, entry] of Object.entries(trustExample.keys)) {
  trust.keys[id] = { public_key: JSON.parse(readFileSync(keyOf(id), 'utf8')).public_key, roles: entry.roles };
}
const trustText = canonical(trust);
const ROLE = {
  'risk_parameters/v1': 'parameters',
  'oracle_price/v1': 'oracle',
  'snapshot/v1': 'snapshot',
  'statement/v1': 'statement',
};
let signed = 0;
/** The envelope's payload (integers exact), changed by `edit`, signed again by the same key id. */
function resign(envelope, edit) {
  const e = typeof envelope === 'string' ? JSON.parse(envelope) : envelope;
  const payload = exactParse(Buffer.from(e.payload, 'base64').toString('utf8'));
  edit(payload);
  const file = join(work, `payload-${(signed += 1)}.json`);
  writeFileSync(file, canonical(payload));
  return execFileSync(cli, ['sign', '--role', ROLE[e.type], '--key', keyOf(e.key_id), '--key-id', e.key_id, file]).toString();
}
const shiftTimes = (o) => {
  for (const [k, v] of Object.entries(o)) {
    if (['as_of', 'publish_time', 'valid_from', 'valid_until', 'expiry'].includes(k) && typeof v === 'bigint') o[k] = v + SHIFT;
    else if (v !== null && typeof v === 'object') shiftTimes(v);
  }
};
const newKey = Object.fromEntries(
  Object.entries(trustExample.keys).map(([id, k]) => [k.public_key, trust.keys[id].public_key]),
);
const paramsBig = resign(example('risk_parameters.signed'), (p) => {
  shiftTimes(p);
  for (const feed of Object.values(p.oracles)) feed.sources = feed.sources.map((k) => newKey[k] ?? k);
  p.risk_parameters.version = VERSION;
});
const paramsBigOther = resign(paramsBig, (p) => {
  p.valid_until += 2n; // other bytes, same version
});
const paramsOlder = resign(paramsBig, (p) => {
  p.risk_parameters.version = VERSION - 1n;
});
const snapshotBig = resign(example('snapshot.signed'), (p) => {
  shiftTimes(p);
  p.messages = p.messages.map((m) =>
    JSON.parse(
      resign(m, (q) => {
        shiftTimes(q);
        q.sequence = TWO53 + 4n * q.sequence + 1n;
      }),
    ),
  );
});
const statementBig = resign(example('statement.signed'), shiftTimes);
const files = { trust: 'trust.json', params: 'params.signed', snapshot: 'snapshot.signed', statement: 'statement.signed' };
const big = { trust: trustText, params: paramsBig, snapshot: snapshotBig, statement: statementBig };
for (const [k, f] of Object.entries(files)) writeFileSync(join(work, f), big[k]);
const cliOutput = execFileSync(cli, [
  'eval',
  ...Object.entries(files).flatMap(([k, f]) => [`--${k}`, join(work, f)]),
  '--save-state',
  join(work, 'state.json'),
  '--format',
  'json',
])
  .toString()
  .trimEnd();

// --- defect 3: integers and state --------------------------------------------
const result = vm.verifyEvaluate(big);
check('integers beyond 2^53 come back exact, as bigints', () => {
  assert.equal(result.verification.risk_parameters.version, VERSION);
  assert.equal(result.report.risk_parameters_version, VERSION);
  assert.equal(result.report.as_of, 1795521600000n + SHIFT);
  assert.equal(result.verification.snapshot.as_of, 1795521600000n + SHIFT);
  assert.equal(typeof result.verification.messages[0].index, 'bigint');
});

const numbersIn = (v, at = '', out = []) => {
  if (typeof v === 'number') out.push(at);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) numbersIn(x, `${at}/${k}`, out);
  return out;
};
check('no output holds a JS number; the output is byte for byte the CLI\'s, state included', () => {
  const plain = {
    risk_parameters: JSON.parse(readFileSync(join(repo, 'examples/exchange/risk_parameters.json'), 'utf8')),
    prices: JSON.parse(readFileSync(join(repo, 'examples/exchange/prices.json'), 'utf8')),
    account: JSON.parse(readFileSync(join(repo, 'examples/exchange/account.json'), 'utf8')),
  };
  const session = vm.openSession({ trust: big.trust, params: big.params, statement: big.statement });
  const outputs = [
    result,
    vm.evaluate(plain),
    vm.largestOrder({ ...plain, query: { market: 'BTC-PERP', side: 'buy' } }),
    vm.verify(result, result.report),
    session.description,
    session.tick(big.snapshot),
  ];
  session.close();
  for (const o of outputs) assert.deepEqual(numbersIn(o), []);
  assert.equal(typeof result.state, 'string');
  assert.equal(canonical({ ...result, state: exactParse(vm.exportState(result.state)) }), cliOutput);
  assert.equal(vm.exportState(result.state), readFileSync(join(work, 'state.json'), 'utf8').trimEnd());
});

check('state passed back: same large version with other bytes is equivocation, an older one rollback', () => {
  const opened = vm.openSession({ trust: big.trust, params: big.params, statement: big.statement, state: result.state });
  opened.close();
  assert.throws(
    () => vm.openSession({ trust: big.trust, params: paramsBigOther, statement: big.statement, state: result.state }),
    (e) => e instanceof VMarginError && e.code === 'equivocation' && e.message.includes(String(VERSION)),
  );
  assert.throws(
    () => vm.openSession({ trust: big.trust, params: paramsOlder, statement: big.statement, state: result.state }),
    (e) => e instanceof VMarginError && e.code === 'rollback' && e.detail.includes(`older than version ${VERSION}`),
  );
});

check('state passed back: a replayed snapshot with sequences and times past 2^53 is refused', () => {
  const session = vm.openSession({ trust: big.trust, params: big.params, statement: big.statement });
  session.tick(big.snapshot);
  const kept = session.state;
  session.close();
  assert.throws(() => vm.verifyEvaluate({ ...big, state: kept }), (e) => e.code === 'quorum_not_met');
  const next = vm.openSession({ trust: big.trust, params: big.params, statement: big.statement, state: kept });
  assert.throws(() => next.tick(big.snapshot), (e) => e.code === 'quorum_not_met');
  next.close();
});

check('a modified, cut-short, rebuilt or empty state is a typed error at /state, never a fresh start', () => {
  const token = result.state;
  const json = vm.exportState(token);
  const rounded = JSON.stringify(JSON.parse(json)); // what a JS object round trip makes of it
  assert.notEqual(rounded, json);
  const cases = [
    ['bad_encoding', token.slice(0, -1)],
    ['bad_encoding', token.slice(0, 40)],
    ['bad_encoding', token.replace(String(VERSION), String(VERSION + 2n))],
    ['bad_encoding', token.slice(0, token.indexOf(':{') + 1) + rounded],
    ['bad_encoding', json],
    ['bad_encoding', ''],
    ['wrong_type', JSON.parse(json)],
    ['wrong_type', 5],
  ];
  for (const [code, state] of cases) {
    assert.throws(
      () => vm.verifyEvaluate({ ...big, state }),
      (e) => e instanceof VMarginError && e.code === code && e.path === '/state',
      `${code}: ${String(state).slice(0, 60)}`,
    );
  }
  // The CLI's file reads in (with or without its newline); anything else does not.
  assert.equal(vm.importState(`${json}\n`), token);
  assert.equal(vm.importState(json), token);
  assert.throws(() => vm.importState(rounded.replace('{', '{ ')), (e) => e.code === 'non_canonical' && e.path === '/state');
  assert.throws(() => vm.importState(''), (e) => e.code === 'malformed_json' && e.path === '/state');
  assert.throws(() => vm.importState(json.slice(0, -3)), (e) => e.code === 'malformed_json');
  assert.throws(() => vm.importState({}), (e) => e.code === 'wrong_type' && e.path === '/state');
});

// --- defect 10: every wrong value is a VMarginError ----------------------------
const plainInput = {
  risk_parameters: JSON.parse(readFileSync(join(repo, 'examples/exchange/risk_parameters.json'), 'utf8')),
  prices: JSON.parse(readFileSync(join(repo, 'examples/exchange/prices.json'), 'utf8')),
  account: JSON.parse(readFileSync(join(repo, 'examples/exchange/account.json'), 'utf8')),
};
const cyclic = structuredClone(plainInput);
cyclic.account.positions['BTC-PERP'].self = cyclic.account;
const deep = [];
let cursor = deep;
for (let i = 0; i < 100000; i += 1) cursor = cursor[0] = [];
const signedInput = {
  trust: example('trust.json'),
  params: example('risk_parameters.signed'),
  snapshot: example('snapshot.signed'),
  statement: example('statement.signed'),
};
const sessionInput = { trust: signedInput.trust, params: signedInput.params, statement: signedInput.statement };
const open = vm.openSession(sessionInput);
const weird = [undefined, null, Symbol('x'), 10n, 1.5, NaN, () => {}, true, [], new Map(), new Date(0), cyclic, deep];
const calls = [];
for (const w of weird) {
  calls.push([`evaluate(${String(typeof w)})`, () => vm.evaluate(w)]);
  calls.push([`largestOrder(${String(typeof w)})`, () => vm.largestOrder(w)]);
  calls.push([`verifyEvaluate(${String(typeof w)})`, () => vm.verifyEvaluate(w)]);
  calls.push([`openSession(${String(typeof w)})`, () => vm.openSession(w)]);
  calls.push([`tick(${String(typeof w)})`, () => open.tick(w)]);
  calls.push([`verify(${String(typeof w)})`, () => vm.verify(w, w, w)]);
  calls.push([`importState(${String(typeof w)})`, () => vm.importState(w)]);
  calls.push([`exportState(${String(typeof w)})`, () => vm.exportState(w)]);
  for (const part of ['trust', 'state', 'params', 'snapshot', 'statement']) {
    calls.push([`verifyEvaluate ${part}=${String(typeof w)}`, () => vm.verifyEvaluate({ ...signedInput, [part]: w })]);
  }
  for (const field of ['as_of', 'feeds']) {
    calls.push([`prices.${field}`, () => vm.evaluate({ ...plainInput, prices: { ...plainInput.prices, [field]: w } })]);
  }
}
calls.push(['an envelope as a parsed object', () => vm.verifyEvaluate({ ...signedInput, params: JSON.parse(signedInput.params) })]);
calls.push(['a snapshot as a parsed object', () => open.tick(JSON.parse(signedInput.snapshot))]);
calls.push(['an integer number beyond 2^53', () => vm.evaluate({ ...plainInput, prices: { ...plainInput.prices, as_of: 2 ** 60 } })]);
calls.push(['a throwing getter', () => vm.evaluate({ ...plainInput, get account() { throw new Error('no'); } })]);
calls.push(['a throwing getter of signed inputs', () => vm.verifyEvaluate({ ...signedInput, get params() { throw new Error('no'); } })]);
calls.push(['a throwing proxy', () => vm.openSession(new Proxy({}, { get() { throw new Error('no'); } }))]);
calls.push(['verify of a malformed result', () => vm.verify({ verification: 5 }, {})]);
calls.push(['verify of a result without a snapshot', () => vm.verify({ report: {}, verification: { risk_parameters: {} } }, {})]);
calls.push(['verify with published text that is not JSON', () => vm.verify(result, '{"a": 1} x')]);
calls.push(['17 MiB of text', () => vm.evaluate(' '.repeat(17 << 20))]);
calls.push(['17 MiB of object', () => vm.evaluate({ ...plainInput, account: { ...plainInput.account, id: 'x'.repeat(17 << 20) } })]);
calls.push(['17 MiB of envelope bytes', () => vm.verifyEvaluate({ ...signedInput, snapshot: new Uint8Array(17 << 20) })]);
calls.push(['16 MiB of 3-byte characters', () => vm.evaluate('€'.repeat(6 << 20))]);

let before = null;
check(`${calls.length} wrong calls: each a VMarginError with a code; the module's heap does not grow`, () => {
  // Two warm-up rounds: the one valid call among them (verifyEvaluate with
  // state undefined) grows the heap on its first runs only (8 bytes once at
  // 5450e27, 40 then 8 bytes since the v1.1 decoders), flat for the ten
  // rounds after that were tried; a leak grows on every round.
  for (let round = 0; round < 6; round += 1) {
    if (round === 2) before = vm.diagnostics(); // after the warm-up rounds
    for (const [name, call] of calls) {
      let error = null;
      try {
        call();
      } catch (e) {
        error = e;
      }
      if (error === null) continue; // some are valid (e.g. feeds: [] is a wrong_type the engine reports)
      assert.ok(error instanceof VMarginError, `${name}: ${error && error.name}: ${error && error.message}`);
      assert.equal(typeof error.code, 'string', name);
      assert.equal(typeof error.path, 'string', name);
    }
  }
  const after = vm.diagnostics();
  assert.equal(after.heapBytesInUse, before.heapBytesInUse, 'bytes allocated on the wasm heap');
  assert.equal(after.memoryBytes, before.memoryBytes, 'wasm memory size');
});

check('the paths name the offending value', () => {
  const code = (fn) => {
    try {
      fn();
    } catch (e) {
      return `${e.code} ${e.path}`;
    }
    return 'accepted';
  };
  assert.equal(code(() => vm.evaluate(undefined)), 'wrong_type ');
  assert.equal(code(() => vm.evaluate(cyclic)), 'wrong_type /account/positions/BTC-PERP/self');
  assert.equal(code(() => vm.evaluate(deep)), 'input_too_large /0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0');
  assert.equal(code(() => vm.evaluate({ ...plainInput, prices: { ...plainInput.prices, as_of: Symbol('t') } })), 'wrong_type /prices/as_of');
  assert.equal(code(() => vm.evaluate({ ...plainInput, prices: { ...plainInput.prices, as_of: 2 ** 60 } })), 'wrong_type /prices/as_of');
  assert.equal(code(() => vm.verifyEvaluate({ ...signedInput, params: JSON.parse(signedInput.params) })), 'wrong_type /params');
  assert.equal(code(() => vm.verifyEvaluate({ ...signedInput, trust: 5n })), 'wrong_type /trust');
  assert.equal(code(() => vm.evaluate(' '.repeat(17 << 20))), 'input_too_large ');
  assert.equal(code(() => open.tick(new Uint8Array(17 << 20))), 'input_too_large /snapshot');
  // Bigints and safe integer numbers are both exact inputs; bytes are an envelope.
  assert.equal(
    vm.evaluate({ ...plainInput, prices: { ...plainInput.prices, as_of: BigInt(plainInput.prices.as_of) } }).as_of,
    BigInt(plainInput.prices.as_of),
  );
  assert.equal(
    vm.verifyEvaluate({ ...signedInput, params: new TextEncoder().encode(signedInput.params) }).report.account,
    'acct-7',
  );
});

check('the module stays usable: a valid call after all of them is correct', () => {
  assert.equal(canonical(vm.verifyEvaluate(big)), canonical(result));
  assert.equal(open.tick(signedInput.snapshot).report.account, 'acct-7');
  open.close();
});

// --- defect 10: out of memory ------------------------------------------------
// The same package with a module limited to 32 MiB: a 16 MiB document of
// empty arrays needs ~300 MiB to parse, so the module traps.
const small = join(work, 'small-memory-package');
cpSync(packageDir, small, { recursive: true });
cpSync(join(smallMemoryDir, 'vmargin.small_memory.cjs'), join(small, 'vmargin.node.cjs'));
cpSync(join(smallMemoryDir, 'vmargin.small_memory.wasm'), join(small, 'vmargin.wasm'));
const smallPackage = await import(pathToFileURL(join(small, 'node.mjs')).href);
const svm = await smallPackage.init();
const reference = canonical(svm.evaluate(plainInput));
const hungry = `[${'[],'.repeat((16 << 20) / 3 - 2)}[]]`;
check('out of memory: a VMarginError, the instance replaced, its sessions and markets closed, nothing leaked', () => {
  const fresh = svm.diagnostics();
  const session = svm.openSession(sessionInput);
  const market = svm.openMarket({ risk_parameters: plainInput.risk_parameters, prices: plainInput.prices });
  const rss = [];
  for (let i = 0; i < 12; i += 1) {
    assert.throws(
      () => svm.evaluate(hungry),
      (e) => e instanceof smallPackage.VMarginError && e.code === 'out_of_memory' && e.path === '',
    );
    assert.equal(canonical(svm.evaluate(plainInput)), reference);
    globalThis.gc?.();
    rss.push(process.memoryUsage().rss);
  }
  assert.ok(session.closed);
  assert.throws(() => session.tick(signedInput.snapshot), (e) => e instanceof smallPackage.VMarginError && e.code === 'invalid_value');
  session.close();
  assert.ok(market.closed);
  assert.throws(() => market.evaluate(plainInput.account), (e) => e instanceof smallPackage.VMarginError && e.code === 'invalid_value');
  market.close();
  const now = svm.diagnostics();
  assert.equal(now.openSessions, 0);
  assert.equal(now.openMarkets, 0);
  assert.equal(now.memoryBytes, fresh.memoryBytes);
  // Every trapped instance held 32 MiB: none may stay reachable.
  if (globalThis.gc) assert.ok(rss[11] - rss[3] < 64 << 20, `rss grew by ${rss[11] - rss[3]} bytes over 8 traps`);
});

console.log(`js package integers and errors: ${checks} checks passed`);
