// The web page and the extension in a real browser: Debian's Chromium,
// driven headless by playwright-core. Checks that the page loads with no
// console errors, shows exactly the native CLI's numbers, reports a tampered
// published result by its field, survives a bad file, updates on the live
// stream; that the conformance vectors give the native bytes inside
// Chromium; and that the MV3 extension renders the verified status with no
// CSP violation. Screenshots go to build/web/artifacts.
//
// Usage: node web_test.mjs <repo root>   (after scripts/web_data.sh, vite build, scripts/web_extension.sh)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';

import { chromium } from 'playwright-core';

import { inputOf } from '../support/canonical_json.mjs';

const repo = resolve(process.argv[2] ?? '.');
const dist = join(repo, 'build/web/dist');
const artifacts = join(repo, 'build/web/artifacts');
mkdirSync(artifacts, { recursive: true });
const cli = join(repo, 'build/gcc/native/vmargin');
const flags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

let checks = 0;
const check = async (name, fn) => {
  await fn();
  checks += 1;
  console.log(`ok ${checks} - ${name}`);
};

// A static server for the built page (wasm needs its MIME type).
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
  '.json': 'application/json', '.signed': 'application/json' };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(dist, path.endsWith('/') ? `${path}index.html` : path);
  try {
    if (!file.startsWith(dist) || !statSync(file).isFile()) throw new Error('not found');
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  } catch {
    res.writeHead(404).end('not found');
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: flags });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('response', (r) => r.status() >= 400 && consoleErrors.push(`HTTP ${r.status()} for ${r.url()}`));
  await page.goto(`${base}/index.html`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });

  // 1. The numbers on the page are the native CLI's, for the same signed inputs.
  const signed = (f) => join(repo, 'examples/signed', f);
  const native = JSON.parse(
    execFileSync(cli, ['eval', '--trust', signed('trust.json'), '--params', signed('risk_parameters.signed'),
      '--snapshot', signed('snapshot.signed'), '--statement', signed('statement.signed'), '--format', 'json']).toString(),
  ).report;
  await check('the page shows the native CLI report, every number', async () => {
    const shown = await page.$$eval('[data-field]', (els) => els.map((e) => [e.dataset.field, e.textContent]));
    const fieldOf = (path) => path.split('.').reduce((o, k) => (o == null ? o : o[k]), native);
    const display = (v) => (v === null || v === undefined ? '–' : typeof v === 'object' ? JSON.stringify(v) : String(v));
    let compared = 0;
    for (const [path, text] of shown) {
      // table cells: <group>.<id>.<field...>; pools.cross is report.cross, pools.<m> is report.isolated.<m>
      let value;
      if (path.startsWith('pools.')) {
        const [, pool, ...rest] = path.split('.');
        value = (pool === 'cross' ? native.cross : native.isolated[pool]);
        value = rest.reduce((o, k) => (o == null ? o : o[k]), value);
      } else if (path.startsWith('positions.') || path.startsWith('collateral.')) {
        const [group, id, ...rest] = path.split('.');
        value = rest.reduce((o, k) => (o == null ? o : o[k]), native[group][id]);
      } else {
        value = fieldOf(path);
      }
      assert.equal(text, display(value), `${path}`);
      compared += 1;
    }
    const positionsFields = Object.values(native.positions).reduce((n, p) => n + Object.keys(p).length, 0);
    assert.ok(compared > positionsFields, `compared ${compared} displayed values`);
    console.log(`# ${compared} displayed values equal the native CLI's`);
    assert.equal(await page.textContent('#published-result'), await page.textContent('#published-result'));
    assert.equal(await page.getAttribute('#published-result', 'data-match'), 'true');
    assert.equal(await page.getAttribute('#status', 'data-status'), native.cross.status);
    const dropped = await page.$$eval('#messages-table td.dropped', (els) => els.length);
    assert.equal(dropped, 2); // the stale ETH message and the unknown key
  });
  await page.screenshot({ path: join(artifacts, 'page.png'), fullPage: true });

  // 2. A tampered published result: the mismatch is shown with its field.
  await check('a tampered published result shows the differing field', async () => {
    const tampered = structuredClone(native);
    tampered.positions['BTC-PERP'].liquidation_price = '44594.6';
    await page.setInputFiles('#file-published', {
      name: 'published-tampered.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tampered)),
    });
    await page.waitForSelector('#published-result[data-match=false]');
    const paths = await page.$$eval('#published-result li', (els) => els.map((e) => e.dataset.path));
    assert.deepEqual(paths, ['/positions/BTC-PERP/liquidation_price']);
    assert.match(await page.textContent('#published-result'), /published-tampered\.json/);
  });
  await page.screenshot({ path: join(artifacts, 'page-mismatch.png') });

  // 3. A bad file: a clear message naming the file, and the page keeps working.
  await check('a bad file gives a clear error naming it; the page keeps working', async () => {
    const snapshot = JSON.parse(readFileSync(signed('snapshot.signed'), 'utf8'));
    snapshot.signature = snapshot.signature.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    await page.setInputFiles('#file-snapshot', {
      name: 'forged.signed', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(snapshot)),
    });
    await page.waitForFunction(() => document.querySelector('#errors').textContent.includes('forged.signed'));
    const error = await page.textContent('#errors');
    assert.match(error, /snapshot file “forged\.signed”: \[vmargin\.bad_signature\] \/snapshot\/signature/);
    await page.setInputFiles('#file-published', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.waitForFunction(() => document.querySelector('#errors').textContent.includes('notes.txt'));
    // still working: the what-if slider recomputes
    await page.fill('#whatif-shock', '-30');
    await page.dispatchEvent('#whatif-shock', 'input');
    // (the unshocked what-if may be shown already: wait for the shocked one)
    await page.waitForFunction(
      (unshocked) => !['–', unshocked].includes(document.querySelector('[data-whatif="cross.equity"]').textContent),
      native.cross.equity,
    );
    assert.notEqual(await page.textContent('[data-whatif="cross.equity"]'), native.cross.equity);
  });

  // 4. Pre-trade.
  await check('the largest order is computed', async () => {
    await page.selectOption('#pretrade-market', 'ETH-PERP');
    await page.click('#pretrade-form button[type=submit]');
    await page.waitForFunction(() => /up to/.test(document.querySelector('#pretrade-result').textContent));
  });

  // 5. Live: the numbers follow the signed stream.
  let sustained = 0;
  await check('the live stream updates the numbers on every tick', async () => {
    await page.click('#reset-example');
    await page.waitForFunction(() => document.querySelector('#errors').textContent === '');
    await page.selectOption('#live-rate', '20');
    const before = await page.textContent('[data-field="cross.equity"]');
    await page.click('#live-toggle');
    await page.waitForFunction(() => Number(document.querySelector('#tick-count').textContent) >= 60, null, { timeout: 30000 });
    await page.click('#live-toggle');
    sustained = Number(await page.getAttribute('#tick-rate', 'data-rate'));
    const after = await page.textContent('[data-field="cross.equity"]');
    assert.notEqual(after, before);
    assert.match(await page.textContent('#tick-snapshot'), /^snap-stream-\d{4}$/);
    console.log(`# sustained ${sustained} ticks/s at 20 requested (engine ${await page.textContent('#tick-engine')} per tick)`);
  });
  await page.check('#fit-levels'); // charts scaled to show the liquidation and bankruptcy lines
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(artifacts, 'page-live.png'), fullPage: true });

  await check('no console errors', async () => {
    assert.deepEqual(consoleErrors, []);
  });

  // 6. Narrow screens: readable at 360 px, keyboard reachable controls.
  await check('readable at 360 px wide; controls labelled and focusable', async () => {
    const narrow = await browser.newPage({ viewport: { width: 360, height: 800 } });
    await narrow.goto(`${base}/index.html`);
    await narrow.waitForSelector('body[data-ready=true]');
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    const unlabelled = await narrow.$$eval('input, select', (els) =>
      els.filter((e) => !document.querySelector(`label[for="${e.id}"]`)).map((e) => e.id));
    assert.deepEqual(unlabelled, []);
    await narrow.keyboard.press('Tab');
    assert.ok(await narrow.evaluate(() => document.activeElement !== document.body));
    await narrow.screenshot({ path: join(artifacts, 'page-360.png'), fullPage: true });
    await narrow.close();
  });

  // 7. The conformance vectors inside Chromium, through the package.
  await check('the conformance vectors give the native bytes in Chromium', async () => {
    const cases = JSON.parse(
      execFileSync('python3', ['-c', `
import json, pathlib, sys
def canonical(v): return json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
out = []
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.json")):
    v = json.loads(p.read_text(encoding="utf-8"))
    op = v.get("operation", "evaluate")
    if op == "verify_evaluate":
        i = dict(v["input"]); i["trust"] = canonical(i["trust"])
        if "state" in i: i["state"] = canonical(i["state"])
        text = i
    else:
        text = v["input_text"] if "input_text" in v else canonical(v["input"])
    out.append({"name": p.relative_to(sys.argv[1]).as_posix(), "operation": op, "text": text, "expected": canonical(v["expected"])})
print(json.dumps(out))
`, join(repo, 'tests/vectors')], { maxBuffer: 1 << 28 }).toString(),
    );
    const inputs = cases.map((c) => ({
      name: c.name,
      operation: c.operation,
      input: typeof c.text === 'string' ? inputOf(c.text) : c.text,
    }));
    const vectors = await browser.newPage();
    await vectors.goto(`${base}/conformance.html`);
    await vectors.waitForSelector('body[data-ready=true]');
    const outputs = new Map(await vectors.evaluate((cs) => window.runVectors(cs), inputs));
    const wrong = cases.filter((c) => outputs.get(c.name) !== c.expected).map((c) => c.name);
    assert.deepEqual(wrong, [], `${wrong.length} vectors differ in Chromium`);
    console.log(`# ${cases.length} conformance vectors byte-identical in Chromium ${browser.version()}`);
    await vectors.close();
  });
} finally {
  await browser.close();
}

// 8. The extension, loaded unpacked: verified status, zero CSP violations.
const profile = mkdtempSync(join(tmpdir(), 'vmargin-extension-'));
const extension = join(repo, 'build/web/extension');
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [...flags, `--disable-extensions-except=${extension}`, `--load-extension=${extension}`],
});
try {
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker', { timeout: 15000 });
  const id = new URL(worker.url()).host;
  const popup = await context.newPage();
  const messages = [];
  popup.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  await popup.goto(`chrome-extension://${id}/popup.html`);
  await popup.waitForSelector('body[data-done=true]', { timeout: 30000 });
  await check('the extension popup verifies the example with no CSP violation', async () => {
    assert.equal(await popup.getAttribute('#verified', 'data-verified'), 'true', await popup.textContent('#verified'));
    assert.equal(await popup.textContent('#status'), 'healthy');
    assert.match(await popup.textContent('#ratio'), /^15\.06775/);
    assert.match(await popup.textContent('#liquidation'), /BTC-PERP: 44594\.5/);
    assert.equal(await popup.textContent('#csp-violations'), '0');
    assert.deepEqual(messages.filter((m) => /Content Security Policy|Refused to/.test(m)), []);
  });
  await popup.screenshot({ path: join(artifacts, 'extension-popup.png') });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  server.close();
}
console.log(`web: ${checks} checks passed; screenshots in ${artifacts}`);
