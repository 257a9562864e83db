// The web page and the extension in a real browser: Debian's Chromium,
// driven headless by playwright-core. Checks that the page loads with no
// console errors, shows exactly the native CLI's numbers (the exact string of
// every formatted cell), puts the risk first (worst pool, distance to
// liquidation), keeps every level visible on the charts, shows every pool in
// the what-if, reports a tampered published result by its field (headline
// disputed, cell highlighted), survives a bad file and a forged live tick,
// keeps one view (example, files, live), loads an account from an endpoint,
// is readable at 390 px, has no serious or critical axe-core violation;
// measures the first verified render (median of 5 cold loads) and the
// bundle; that the conformance vectors give the native bytes inside
// Chromium; and that the MV3 wallet panel verifies, refreshes in the
// background from an endpoint on loopback (chrome.alarms), sets its badge
// and notifies at the user's threshold, with no CSP violation. Screenshots
// (1440 px, 390 px, the popup) go to build/web/artifacts.
//
// Usage: node web_test.mjs <repo root>   (after scripts/web_data.sh, vite build, scripts/web_extension.sh)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';

import { chromium } from 'playwright-core';

import { inputOf } from '../support/canonical_json.mjs';

const repo = resolve(process.argv[2] ?? '.');
const dist = join(repo, 'build/web/dist');
const artifacts = join(repo, 'build/web/artifacts');
rmSync(artifacts, { recursive: true, force: true }); // only this run's screenshots
mkdirSync(artifacts, { recursive: true });
const cli = join(repo, 'build/gcc/native/vmargin');
const flags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

let checks = 0;
let renderMs = null;
// axe-core, run in the page's main world (no script tag: the extension's CSP allows none)
const axePath = join(repo, 'node_modules/axe-core/axe.min.js');
if (!existsSync(axePath)) throw new Error(`${axePath} is missing: run npm ci (axe-core is a devDependency in package.json)`);
const axeSource = readFileSync(axePath, 'utf8');
const axe = async (page) => {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).join('; ') }));
  });
};
const check = async (name, fn) => {
  await fn();
  checks += 1;
  console.log(`ok ${checks} - ${name}`);
};

// A static server for the built page (wasm needs its MIME type).
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
  '.json': 'application/json', '.signed': 'application/json' };
// /exchange/ plays the exchange's endpoint for the wallet panel (no CORS
// headers: the extension's host permission is what lets it read them).
const endpointFiles = {
  '/exchange/risk_parameters.signed': 'risk_parameters.signed',
  '/exchange/snapshot.signed': 'snapshot.signed',
  '/exchange/statements/acct-7.signed': 'statement.signed',
};
const publishedReport = () => JSON.stringify(JSON.parse(execFileSync(cli, ['eval', '--trust', join(repo, 'examples/signed/trust.json'),
  '--params', join(repo, 'examples/signed/risk_parameters.signed'), '--snapshot', join(repo, 'examples/signed/snapshot.signed'),
  '--statement', join(repo, 'examples/signed/statement.signed'), '--format', 'json']).toString()).report);
const endpointHits = {};
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  if (path.startsWith('/exchange/')) {
    endpointHits[path] = (endpointHits[path] ?? 0) + 1;
    if (path === '/exchange/published/acct-7.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(publishedReport());
    }
    if (!endpointFiles[path]) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    return res.end(readFileSync(join(repo, 'examples/signed', endpointFiles[path])));
  }
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
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
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
  const exactOf = (path) => {
    // data-field paths: <group>.<id>.<field...>; pools.cross is report.cross, pools.<m> is report.isolated.<m>
    const get = (o, keys) => keys.reduce((x, k) => (x == null ? x : x[k]), o);
    const [group, id, ...rest] = path.split('.');
    if (group === 'pools') return get(id === 'cross' ? native.cross : native.isolated[id], rest);
    if (group === 'positions' || group === 'collateral') return get(native[group][id], rest);
    return get(native, path.split('.'));
  };
  const display = (v) => (v === null || v === undefined ? '–' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  await check('every engine value on the page is the native CLI report (exact value of each formatted cell)', async () => {
    const shown = await page.$$eval('[data-field]', (els) => els.map((e) => [e.dataset.field, e.dataset.exact, e.textContent]));
    let compared = 0;
    for (const [path, exact] of shown) {
      assert.equal(exact, display(exactOf(path)), `${path}`);
      compared += 1;
    }
    const positionsFields = Object.values(native.positions).reduce((n, p) => n + Object.keys(p).length, 0);
    assert.ok(compared > positionsFields, `compared ${compared} displayed values`);
    console.log(`# ${compared} displayed values equal the native CLI's`);
    // "exact digits" shows the engine's strings themselves
    await page.check('#exact-digits');
    assert.equal(await page.textContent('[data-field="cross.margin_ratio"]'), native.cross.margin_ratio);
    await page.uncheck('#exact-digits');
    assert.equal(await page.getAttribute('#published-result', 'data-match'), 'true');
    assert.match(await page.textContent('#published-result'), /match/);
    assert.equal(await page.getAttribute('#status', 'data-status'), native.cross.status);
    await page.click('#messages summary');
    const dropped = await page.$$eval('#messages-table td.dropped', (els) => els.length);
    assert.equal(dropped, 2); // the stale ETH message and the unknown key
  });

  await check('risk first: worst status over every pool, nearest liquidation, formatted numbers with exact values on demand', async () => {
    assert.equal(await page.getAttribute('#risk', 'data-status'), 'healthy');
    assert.equal(await page.getAttribute('#risk', 'data-verdict'), 'verified');
    assert.match(await page.textContent('#headline'), /Healthy: all 2 pools/);
    assert.match(await page.textContent('#headline-detail'), /BTC-USD-INV \(isolated\): healthy, margin ratio 11\.51×/);
    // the nearest liquidation: the isolated inverse short, (69926.5 - 61000) / 61000 = 14.63 %
    assert.equal(await page.getAttribute('#nearest', 'data-market'), 'BTC-USD-INV');
    assert.equal(await page.getAttribute('#nearest', 'data-distance'), '14.63');
    const distance = async (m) => page.getAttribute(`#positions-table tr[data-market="${m}"] td.distance`, 'data-distance');
    assert.equal(await distance('BTC-PERP'), '-26.89'); // long: (44594.5 - 61000) / 61000
    assert.equal(await distance('ETH-PERP'), '46.04'); // short: (4381.19 - 3000) / 3000
    // formatted, with the exact value on demand
    assert.equal(await page.textContent('[data-field="cross.margin_ratio"]'), '15.07×');
    assert.equal(await page.getAttribute('[data-field="cross.margin_ratio"]', 'title'), `exact: ${native.cross.margin_ratio}`);
    assert.equal(await page.textContent('#maint-percent'), '6.64 %'); // 2214 / 33360
    assert.equal(await page.textContent('[data-field="cross.equity"]'), '33,360.00');
    assert.equal(await page.textContent('[data-field="as_of"]'), '2026-11-24 12:00:00 UTC');
    assert.equal(await page.textContent('#positions-table tr[data-market="BTC-USD-INV"] [data-field$=".liquidation_price"]'), '69,926.50');
    // a compact table: the named columns, details on demand
    const columns = await page.$$eval('#positions-table tr:first-child th', (els) => els.map((e) => e.textContent));
    assert.deepEqual(columns, ['Market', 'Side', 'Size', 'Entry', 'Mark', 'uPnL', 'Liquidation', 'Distance', 'Requirement', 'Details']);
    assert.equal(await page.isVisible('#details-BTC-PERP'), false);
    await page.click('#positions-table tr[data-market="BTC-PERP"] button.more');
    assert.equal(await page.isVisible('#details-BTC-PERP [data-field="positions.BTC-PERP.adl_index"]'), true);
    await page.click('#positions-table tr[data-market="BTC-PERP"] button.more');
    const width = await page.$eval('#positions-table', (t) => t.scrollWidth);
    assert.ok(width < 1200, `the positions table is ${width}px wide`);
  });

  await check('charts: every level on scale by default; off-scale levels listed at the edge with their distance', async () => {
    await page.waitForSelector('.chart-box[data-feed="ETH-USD"][data-off-scale]');
    await page.waitForFunction(() => [...document.querySelectorAll('.chart-box')].every((b) => b.dataset.offScale === '0'));
    await page.uncheck('#fit-levels'); // the mark alone: every level off-scale
    await page.waitForSelector('.chart-box[data-feed="ETH-USD"] .edge-top li[data-level="ETH-PERP:liquidation"]');
    assert.match(await page.textContent('.chart-box[data-feed="ETH-USD"] .edge-top li[data-level="ETH-PERP:liquidation"]'), /ETH-PERP short liq 4,381\.19 \(46\.04 % ↑\)/);
    assert.match(await page.textContent('.chart-box[data-feed="BTC-USD"] .edge-top'), /BTC-USD-INV short liq 69,926\.50 \(14\.63 % ↑\)/);
    assert.match(await page.textContent('.chart-box[data-feed="BTC-USD"] .edge-bottom'), /BTC-PERP long liq 44,594\.50 \(26\.89 % ↓\)/);
    await page.check('#fit-levels');
    await page.waitForFunction(() => [...document.querySelectorAll('.chart-box')].every((b) => b.dataset.offScale === '0'));
  });

  await check('what-if shows every pool: at BTC +50 % the isolated inverse pool is bankrupt', async () => {
    await page.selectOption('#whatif-feed', 'BTC-USD');
    await page.fill('#whatif-shock', '50');
    await page.dispatchEvent('#whatif-shock', 'input');
    await page.waitForSelector('#whatif-table tr[data-pool="BTC-USD-INV"][data-status="bankrupt"]');
    assert.match(await page.textContent('#whatif-headline'), /BTC-USD-INV \(isolated\) bankrupt/);
    assert.equal(await page.getAttribute('#whatif-headline', 'data-status'), 'bankrupt');
    // the shocked mark is drawn (and listed when off-scale)
    await page.uncheck('#fit-levels');
    await page.waitForSelector('.chart-box[data-feed="BTC-USD"] li[data-level="what-if:whatif"]');
    assert.match(await page.textContent('.chart-box[data-feed="BTC-USD"] li[data-level="what-if:whatif"]'), /91,500\.00 \(50\.00 % ↑\)/);
    // the liquidation prices the move shifts: the cross pool's ETH short, drawn on its own chart
    assert.equal(await page.getAttribute('#whatif-positions tr[data-market="ETH-PERP"]', 'data-changed'), 'true');
    assert.equal(await page.getAttribute('#whatif-positions tr[data-market="BTC-PERP"]', 'data-changed'), 'false');
    assert.match(await page.textContent('#whatif-positions tr[data-market="BTC-USD-INV"]'), /none: the pool is bankrupt/);
    await page.waitForSelector('.chart-box[data-feed="ETH-USD"] li[data-level="ETH-PERP:whatif-liq"]');
    await page.check('#fit-levels');
    await page.fill('#whatif-shock', '0');
    await page.dispatchEvent('#whatif-shock', 'input');
    await page.waitForSelector('#whatif-headline[data-status="healthy"]');
  });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: join(artifacts, 'page-1440.png'), fullPage: true });

  // 2. A tampered published result: the mismatch is shown with its field, highlighted, and the headline says so.
  await check('a tampered published result: the headline is disputed, the differing cell highlighted, feedback by the control', async () => {
    const tampered = structuredClone(native);
    tampered.positions['BTC-PERP'].liquidation_price = '44594.6';
    await page.setInputFiles('#file-published', {
      name: 'published-tampered.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tampered)),
    });
    await page.waitForSelector('#published-result[data-match=false]');
    const paths = await page.$$eval('#published-result li', (els) => els.map((e) => e.dataset.path));
    assert.deepEqual(paths, ['/positions/BTC-PERP/liquidation_price']);
    assert.match(await page.textContent('#published-result'), /published-tampered\.json/);
    assert.equal(await page.getAttribute('#risk', 'data-verdict'), 'mismatch');
    assert.match(await page.textContent('#view-source'), /the example with your documents \(“published-tampered\.json”\)/);
    const headline = await page.textContent('#headline');
    assert.doesNotMatch(headline, /healthy|match/i);
    assert.match(headline, /differ .* 1 field/);
    const highlighted = await page.$$eval('.differs', (els) => els.map((e) => e.dataset.field));
    assert.deepEqual(highlighted, ['positions.BTC-PERP.liquidation_price']);
    assert.match(await page.textContent('#files-status'), /published-tampered\.json.* verified.*1 published field\(s\) differ/);
    // the feedback is next to the control used
    const control = await page.$eval('#file-published', (e) => e.getBoundingClientRect().bottom);
    const feedback = await page.$eval('#files-status', (e) => e.getBoundingClientRect().top);
    assert.ok(feedback - control < 120, `the feedback is ${feedback - control}px below the control`);
  });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifacts, 'page-mismatch.png') });

  // 3. A bad file: a clear message naming the file, next to the control, and the page keeps working.
  await check('a bad file gives a clear error naming it; the page keeps working', async () => {
    const snapshot = JSON.parse(readFileSync(signed('snapshot.signed'), 'utf8'));
    snapshot.signature = snapshot.signature.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    await page.setInputFiles('#file-snapshot', {
      name: 'forged.signed', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(snapshot)),
    });
    await page.waitForFunction(() => document.querySelector('#files-status').textContent.includes('forged.signed'));
    assert.match(await page.textContent('#files-status'), /snapshot file “forged\.signed”: \[vmargin\.bad_signature\] \/snapshot\/signature/);
    assert.equal(await page.getAttribute('#files-status', 'data-state'), 'error');
    await page.setInputFiles('#file-published', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.waitForFunction(() => document.querySelector('#files-status').textContent.includes('notes.txt'));
    // a report that is not one: the comparison fails, and the headline says so
    await page.setInputFiles('#file-published', {
      name: 'not-a-report.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ cross: 1, positions: [] })),
    });
    await page.waitForFunction(() => document.querySelector('#files-status').textContent.includes('not-a-report.json'));
    assert.equal(await page.getAttribute('#published-result', 'data-match'), 'false');
    assert.equal(await page.getAttribute('#risk', 'data-verdict'), 'mismatch');
    assert.doesNotMatch(await page.textContent('#headline'), /healthy|match/i);
    // still working: the what-if slider recomputes
    await page.fill('#whatif-shock', '-30');
    await page.dispatchEvent('#whatif-shock', 'input');
    await page.waitForFunction(
      (unshocked) => !['–', undefined, unshocked].includes(document.querySelector('[data-whatif="cross.equity"]')?.dataset.exact),
      native.cross.equity,
    );
  });

  await check('an account loaded from an endpoint URL: verified, its published results compared, feedback by the form', async () => {
    await page.fill('#url-endpoint', `${base}/exchange`);
    await page.fill('#url-account', 'acct-9');
    const logged = consoleErrors.length;
    await page.click('#url-form button[type=submit]');
    await page.waitForSelector('#url-status[data-state=error]');
    // the browser logs the expected 404 itself: taken out of the console errors, and only it
    await page.waitForTimeout(100);
    const expected = consoleErrors.splice(logged);
    assert.ok(expected.every((m) => /acct-9\.signed|Failed to load resource: .* 404/.test(m)), expected.join('\n'));
    assert.match(await page.textContent('#url-status'), /statements\/acct-9\.signed: HTTP 404\. Nothing changed\./);
    await page.fill('#url-account', 'acct-7');
    await page.click('#url-form button[type=submit]');
    await page.waitForFunction(() => /acct-7 from .* verified/.test(document.querySelector('#url-status').textContent));
    assert.match(await page.textContent('#url-status'), /healthy, exchange numbers match/);
    assert.match(await page.textContent('#view-source'), /your documents \(“http:\/\/127\.0\.0\.1:\d+\/exchange\/risk_parameters\.signed”/);
    assert.equal(await page.getAttribute('#published-result', 'data-match'), 'true');
    assert.match(await page.textContent('#published-result'), /published\/acct-7\.json/);
    assert.equal(await page.getAttribute('#risk', 'data-verdict'), 'verified');
  });

  // 4. Pre-trade.
  await check('the largest order is computed', async () => {
    await page.selectOption('#pretrade-market', 'ETH-PERP');
    await page.click('#pretrade-form button[type=submit]');
    await page.waitForFunction(() => /up to/.test(document.querySelector('#pretrade-result').textContent));
  });

  // 5. Live: the numbers follow the signed stream; one state machine for base, live and loaded files.
  const streamIndex = JSON.parse(readFileSync(join(dist, 'stream/index.json'), 'utf8'));
  let sustained = 0;
  await check('the live stream updates the numbers on every tick; a bad tick is reported, then cleared by the next good one', async () => {
    await page.click('#reset-example');
    await page.waitForSelector('#files-status[data-state=ok]');
    assert.equal(await page.getAttribute('#published-result', 'data-match'), 'true');
    // one forged snapshot in the stream
    const forgedName = streamIndex[5];
    const forged = JSON.parse(readFileSync(join(dist, 'stream', forgedName), 'utf8'));
    forged.signature = forged.signature.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    await page.route(`**/stream/${forgedName}`, (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(forged) }));
    await page.evaluate(() => {
      window.bannerLog = [];
      new MutationObserver(() => window.bannerLog.push(document.querySelector('#errors').textContent))
        .observe(document.querySelector('#errors'), { childList: true, subtree: true, characterData: true });
    });
    await page.selectOption('#live-rate', '20');
    const before = await page.getAttribute('[data-field="cross.equity"]', 'data-exact');
    await page.click('#live-toggle');
    // (recorded as it appears: the next good tick clears it within ~50 ms)
    const banner = await page.waitForFunction(() => window.bannerLog.find((t) => t.includes('Live tick rejected')), null, { timeout: 15000 });
    assert.match(await banner.jsonValue(), /\[vmargin\.bad_signature\] \/snapshot\/signature/);
    await page.waitForFunction(() => document.querySelector('#errors').textContent === '', null, { timeout: 15000 });
    await page.unroute(`**/stream/${forgedName}`); // routing slows every request: not while the rate is measured
    await page.waitForFunction(() => Number(document.querySelector('#tick-count').textContent) >= 60, null, { timeout: 30000 });
    await page.click('#live-toggle');
    sustained = Number(await page.getAttribute('#tick-rate', 'data-rate'));
    const after = await page.getAttribute('[data-field="cross.equity"]', 'data-exact');
    assert.notEqual(after, before);
    assert.match(await page.textContent('#tick-snapshot'), /^snap-stream-\d{4}$/);
    // the verification summary is tied to the live snapshot: no "match" for the base snapshot's results
    assert.equal(await page.getAttribute('#view-source', 'data-source'), 'live');
    assert.equal(await page.getAttribute('#published-result', 'data-match'), 'not-applicable');
    assert.match(await page.textContent('#verified'), /snapshot snap-stream-\d{4} signed by exchange/);
    // the margin-ratio history of every pool during the live feed
    assert.equal(await page.isVisible('#ratio-history .chart'), true);
    assert.ok(Number(await page.getAttribute('#ratio-history', 'data-points')) >= 30);
    console.log(`# sustained ${sustained} ticks/s at 20 requested (engine ${await page.textContent('#tick-engine')} per tick)`);
  });
  await page.screenshot({ path: join(artifacts, 'page-live.png'), fullPage: true });

  await check('a loaded file replaces the live view: live card, charts and headline', async () => {
    await page.setInputFiles('#file-published', {
      name: 'published.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(native)),
    });
    await page.waitForSelector('#view-source[data-source=files]');
    assert.equal(await page.textContent('#tick-count'), '0');
    assert.equal(await page.textContent('#tick-snapshot'), '–');
    assert.equal(await page.getAttribute('#published-result', 'data-match'), 'true');
    assert.match(await page.textContent('#verified'), /snapshot snap-2026-11-24T12:00:00Z/);
    assert.equal(await page.getAttribute('[data-field="cross.equity"]', 'data-exact'), native.cross.equity);
    await page.waitForFunction(() => [...document.querySelectorAll('.chart-box')].every((b) => b.dataset.points === '1'));
    assert.equal(await page.isVisible('#ratio-history'), false);
  });

  await check('no console errors', async () => {
    assert.deepEqual(consoleErrors, []);
  });

  // 6. Narrow screens: readable at 390 px, keyboard reachable controls, the liquidation column on screen.
  await check('readable at 390 px wide; controls labelled and focusable; the liquidation price on screen', async () => {
    const narrow = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await narrow.goto(`${base}/index.html`);
    await narrow.waitForSelector('body[data-ready=true]');
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    const unlabelled = await narrow.$$eval('input, select', (els) =>
      els.filter((e) => !document.querySelector(`label[for="${e.id}"]`)).map((e) => e.id));
    assert.deepEqual(unlabelled, []);
    const right = await narrow.$eval('#positions-table tr[data-market="BTC-USD-INV"] [data-field$=".liquidation_price"]', (e) => e.getBoundingClientRect().right);
    assert.ok(right <= 390, `the liquidation price ends at x=${right}`);
    const distanceRight = await narrow.$eval('#positions-table tr[data-market="BTC-USD-INV"] td.distance', (e) => e.getBoundingClientRect().right);
    assert.ok(distanceRight <= 390, `the distance ends at x=${distanceRight}`);
    await narrow.keyboard.press('Tab');
    assert.ok(await narrow.evaluate(() => document.activeElement !== document.body));
    await narrow.waitForTimeout(300);
    await narrow.screenshot({ path: join(artifacts, 'page-390.png'), fullPage: true });
    await narrow.close();
  });

  // First verified render: median of 5 cold loads (a fresh context each: empty cache).
  await check('first verified render, median of 5 cold loads', async () => {
    const times = [];
    for (let i = 0; i < 5; i += 1) {
      const cold = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const p = await cold.newPage();
      await p.goto(`${base}/index.html`);
      await p.waitForSelector('body[data-ready=true]');
      times.push(await p.evaluate(() => performance.getEntriesByName('vmargin-verified-render')[0].startTime));
      await cold.close();
    }
    times.sort((a, b) => a - b);
    renderMs = times[2];
    console.log(`# first verified render: median ${renderMs.toFixed(0)} ms of 5 cold loads (${times.map((t) => t.toFixed(0)).join(', ')} ms; target <= 500 ms)`);
    assert.ok(renderMs < 5000, 'the first verified render takes over 5 s');
  });

  // Accessibility: axe-core, no serious or critical violation.
  await check('axe-core: no serious or critical violation on the page', async () => {
    const a11y = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await a11y.goto(`${base}/index.html`);
    await a11y.waitForSelector('body[data-ready=true]');
    await a11y.waitForSelector('.chart-box');
    const found = await axe(a11y);
    assert.deepEqual(found.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => `${v.id}: ${v.nodes}`), []);
    console.log(`# axe-core on the page: ${found.length ? found.map((v) => `${v.impact} ${v.id}`).join(', ') : 'no violations'}`);
    await a11y.close();
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

// 8. The extension, loaded unpacked: the bundled example verified, then the
// background refresh from an endpoint on loopback (chrome.alarms), the badge
// and a notification at the user's threshold; zero CSP violations.
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
  const messages = [];
  const open = async (file) => {
    const p = await context.newPage();
    p.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
    p.on('pageerror', (e) => messages.push(`pageerror: ${e}`));
    await p.addInitScript(() => {
      window.cspViolations = 0;
      document.addEventListener('securitypolicyviolation', () => (window.cspViolations += 1));
    });
    await p.goto(`chrome-extension://${id}/${file}`);
    await p.waitForSelector('body[data-done=true]', { timeout: 30000 });
    return p;
  };
  const badge = () => worker.evaluate(() => chrome.action.getBadgeText({}));
  const popup = await open('popup.html');
  await check('the extension popup verifies the bundled example: coloured status, ratio, nearest liquidation; no debug output', async () => {
    const item = '#accounts li[data-account="acct-7"]';
    assert.equal(await popup.getAttribute(item, 'data-status'), 'healthy');
    assert.equal(await popup.getAttribute(`${item} .pill`, 'data-status'), 'healthy');
    assert.match(await popup.textContent(`${item} .ratio`), /^Margin ratio 15\.07× · maintenance 6\.64 % of equity$/);
    assert.equal(await popup.getAttribute(`${item} .ratio`, 'title'), 'exact margin ratio: 15.067750677506775067');
    assert.match(await popup.textContent(`${item} .nearest`), /BTC-USD-INV short at 69,926\.50, 14\.63 % ↑ from 61,000\.00/);
    assert.match(await popup.textContent(`${item} .verified`), /snapshot snap-2026-11-24T12:00:00Z by exchange.*parameters v12 by governance/);
    assert.match(await popup.textContent('#source'), /bundled signed example/);
    assert.equal(await popup.$('#csp-violations'), null); // the old debug line is gone
    assert.equal(await popup.evaluate(() => window.cspViolations), 0);
    await worker.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    assert.equal(await badge(), 'OK'); // set by the refresh at install
  });
  await popup.setViewportSize({ width: 360, height: 360 });
  await popup.screenshot({ path: join(artifacts, 'extension-popup.png'), fullPage: true });
  await check('axe-core: no serious or critical violation in the popup', async () => {
    const found = await axe(popup);
    assert.deepEqual(found.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => `${v.id}: ${v.nodes}`), []);
    console.log(`# axe-core on the popup: ${found.length ? found.map((v) => `${v.impact} ${v.id}`).join(', ') : 'no violations'}`);
  });
  await popup.close();

  await check('the options choose an endpoint and accounts; the background refresh runs on chrome.alarms; badge and notification at the threshold', async () => {
    const options = await open('options.html');
    const found = await axe(options);
    assert.deepEqual(found.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => v.id), []);
    await options.fill('#endpoint', `${base}/exchange`);
    await options.fill('#accounts-input', 'acct-7, acct-9');
    await options.fill('#threshold', '20'); // acct-7's nearest liquidation is 14.63 % away: an alert
    await options.fill('#period', '1');
    await options.click('#settings button[type=submit]');
    await options.waitForFunction(() => /Saved\. /.test(document.querySelector('#options-status').textContent));
    assert.equal(await options.getAttribute('#options-status', 'data-state'), 'ok', await options.textContent('#options-status'));
    assert.ok(endpointHits['/exchange/statements/acct-7.signed'] >= 1, JSON.stringify(endpointHits));
    const alarm = await worker.evaluate(() => chrome.alarms.get('refresh'));
    assert.equal(alarm.periodInMinutes, 1);
    assert.equal(await badge(), '15%');
    const notifications = await worker.evaluate(() => chrome.notifications.getAll());
    assert.deepEqual(Object.keys(notifications), ['vmargin-acct-7']);
    // the alarm itself refreshes: fire it now (unpacked extensions have no minimum delay)
    const before = endpointHits['/exchange/statements/acct-7.signed'];
    const { checkedAt } = await worker.evaluate(() => chrome.storage.local.get('checkedAt'));
    await worker.evaluate(() => chrome.alarms.create('refresh', { when: Date.now() + 100, periodInMinutes: 1 }));
    for (let i = 0; i < 100 && endpointHits['/exchange/statements/acct-7.signed'] === before; i += 1) await new Promise((r) => setTimeout(r, 100));
    assert.ok(endpointHits['/exchange/statements/acct-7.signed'] > before, 'the alarm did not refresh');
    await worker.evaluate(async (t) => {
      for (let i = 0; i < 100 && (await chrome.storage.local.get('checkedAt')).checkedAt === t; i += 1) await new Promise((r) => setTimeout(r, 50));
    }, checkedAt);
    await options.close();

    const panel = await open('popup.html');
    const item = '#accounts li[data-account="acct-7"]';
    assert.equal(await panel.getAttribute(item, 'data-alert'), 'true');
    assert.equal(await panel.getAttribute(`${item} .nearest`, 'data-near'), 'true');
    assert.equal(await panel.getAttribute('#accounts li[data-account="acct-9"]', 'data-status'), 'error');
    assert.match(await panel.textContent('#accounts li[data-account="acct-9"]'), /statements\/acct-9\.signed: HTTP 404/);
    assert.match(await panel.textContent('#source'), /alert within 20 % of liquidation/);
    await panel.setViewportSize({ width: 360, height: 420 });
    await panel.screenshot({ path: join(artifacts, 'extension-popup-alert.png'), fullPage: true });
    assert.equal(await panel.evaluate(() => window.cspViolations), 0);
    await panel.close();
    assert.deepEqual(messages.filter((m) => /Content Security Policy|Refused to|^error|pageerror|^log|^debug/.test(m)), []);
  });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  server.close();
}
{
  const { gzipSync } = await import('node:zlib');
  const { readdirSync } = await import('node:fs');
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  const page = walk(dist).filter((f) => /\.(html|js|css|wasm)$/.test(f) && !/conformance/.test(f) && !/\/(signed|stream)\//.test(f));
  const kib = page.reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0) / 1024;
  console.log(`# page bundle without the example data: ${kib.toFixed(1)} KiB gzip (target <= 300 KiB)`);
}
if (renderMs !== null) console.log(`# first verified render (median of 5 cold loads): ${renderMs.toFixed(0)} ms`);
console.log(`web: ${checks} checks passed; screenshots in ${artifacts}`);
