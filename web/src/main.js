// The page: loads the signed example (or the user's files), verifies and
// evaluates it in a Web Worker, shows every number the engine reports,
// follows a live stream of signed snapshots, and checks the exchange's
// published results field by field.
import { LineSeries, LineStyle, createChart } from 'lightweight-charts';

// --- the worker -------------------------------------------------------------

const worker = new Worker(new URL('./engine.worker.js', import.meta.url), { type: 'module' });
let nextId = 1;
const pending = new Map();
worker.onmessage = ({ data }) => {
  const p = pending.get(data.id);
  pending.delete(data.id);
  if (data.error) p.reject(Object.assign(new Error(data.error.message), data.error));
  else p.resolve(data.value);
};
const call = (op, args) =>
  new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, op, args });
  });

// --- state ------------------------------------------------------------------

const $ = (selector) => document.querySelector(selector);
const state = {
  docs: null, // {trust, params, snapshot, statement}
  names: {}, // which file each document came from
  published: null,
  account: null, // the statement's account, for what-if and pre-trade
  baseline: null, // the verified result for docs.snapshot
  current: null, // the latest result (baseline or a live tick)
  live: { on: false, timer: 0, busy: false, index: [], next: 0, ticks: 0, times: [], cache: new Map() },
};
const DOCS = ['trust', 'params', 'snapshot', 'statement'];
const ROOT_OF = { '/trust': 'trust', '/state': 'state', '/params': 'params', '/snapshot': 'snapshot', '/statement': 'statement' };

// --- errors -------------------------------------------------------------------

function showError(text) {
  const p = document.createElement('p');
  p.textContent = text;
  $('#errors').append(p);
}
function clearErrors() {
  $('#errors').replaceChildren();
}
function describeError(e, names = state.names) {
  const root = Object.keys(ROOT_OF).find((r) => e.path === r || (e.path || '').startsWith(`${r}/`));
  const doc = root ? ROOT_OF[root] : null;
  const file = doc && names[doc] ? ` file “${names[doc]}”` : '';
  return `${doc ?? 'input'}${file}: [vmargin.${e.code}] ${e.path ? `${e.path}: ` : ''}${e.message}`;
}

// --- helpers --------------------------------------------------------------------

const payloadOf = (envelopeText) => {
  const bytes = Uint8Array.from(atob(JSON.parse(envelopeText).payload), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
};
const field = (obj, path) => path.split('.').reduce((o, k) => (o == null ? o : o[k]), obj);
const shown = (v) =>
  v === null || v === undefined
    ? '–'
    : typeof v === 'object'
      ? JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x)) // the package's integers are bigints
      : String(v);
const STATUS_ICON = { healthy: '✓', margin_call: '!', liquidatable: '✗', bankrupt: '☠' };

function flatten(obj, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && k !== 'liquidation_plan') flatten(v, `${prefix}${k}.`, out);
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

// A table of rows {id: {field: value}}: every field the engine reports, as
// data-field="<group>.<id>.<field>" cells.
function renderTable(table, group, rows, firstHeader) {
  const flat = Object.fromEntries(Object.entries(rows).map(([id, r]) => [id, flatten(r)]));
  const columns = [...new Set(Object.values(flat).flatMap((r) => Object.keys(r)))];
  const head = document.createElement('tr');
  for (const c of [firstHeader, ...columns]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = c.replaceAll('_', ' ');
    head.append(th);
  }
  const body = Object.entries(flat).map(([id, r]) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = id;
    tr.append(th);
    for (const c of columns) {
      const td = document.createElement('td');
      if (c in r) {
        td.dataset.field = `${group}.${id}.${c}`;
        td.textContent = shown(r[c]);
      }
      tr.append(td);
    }
    return tr;
  });
  table.replaceChildren(head, ...body);
}

// --- charts -------------------------------------------------------------------

const charts = new Map(); // feed -> {chart, series, lines}
const timeOf = (asOfMs) => Math.round(Number(asOfMs) / 200); // one chart "second" per 200 ms tick
const timeLabel = (t) => new Date(t * 200).toISOString().slice(11, 21);

function chartFor(feed) {
  if (charts.has(feed)) return charts.get(feed);
  const box = document.createElement('div');
  const title = document.createElement('h3');
  title.textContent = feed;
  const el = document.createElement('div');
  el.className = 'chart';
  el.id = `chart-${feed}`;
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', `${feed} mark price with liquidation and bankruptcy levels`);
  box.append(title, el);
  $('#chart-list').append(box);
  const chart = createChart(el, {
    autoSize: true,
    layout: { attributionLogo: false },
    localization: { timeFormatter: timeLabel },
    timeScale: { tickMarkFormatter: timeLabel, secondsVisible: true },
  });
  const entry = { chart, series: null, lines: [], levels: [], last: -1 };
  // With "fit levels", the price scale also spans the liquidation and
  // bankruptcy prices, so their lines are drawn rather than pinned at the edge.
  const autoscaleInfoProvider = (original) => {
    const info = original();
    if (!info || !$('#fit-levels').checked || entry.levels.length === 0) return info;
    const { minValue, maxValue } = info.priceRange;
    return { ...info, priceRange: { minValue: Math.min(minValue, ...entry.levels), maxValue: Math.max(maxValue, ...entry.levels) } };
  };
  entry.series = chart.addSeries(LineSeries, { color: '#1f6feb', lineWidth: 2, title: 'mark', autoscaleInfoProvider });
  charts.set(feed, entry);
  return entry;
}

function renderCharts(result) {
  const t = timeOf(result.verification.snapshot.as_of);
  for (const [feed, f] of Object.entries(result.verification.feeds)) {
    const c = chartFor(feed);
    if (t > c.last) {
      c.series.update({ time: t, value: Number(f.mark) }); // display only: the numbers shown are the strings
      c.last = t;
    }
    for (const line of c.lines) c.series.removePriceLine(line);
    c.lines = [];
    c.levels = [];
    for (const [market, p] of Object.entries(result.report.positions)) {
      if (market && marketFeed(market) !== feed) continue;
      if (p.liquidation_price !== null) c.levels.push(Number(p.liquidation_price));
      if (p.bankruptcy_price !== null) c.levels.push(Number(p.bankruptcy_price));
      if (p.liquidation_price !== null)
        c.lines.push(c.series.createPriceLine({ price: Number(p.liquidation_price), color: '#cf222e', lineStyle: LineStyle.Dashed, title: `${market} liq` }));
      if (p.bankruptcy_price !== null)
        c.lines.push(c.series.createPriceLine({ price: Number(p.bankruptcy_price), color: '#6e4c00', lineStyle: LineStyle.Dotted, title: `${market} bkr` }));
    }
  }
}
let riskParameters = null;
const marketFeed = (market) => riskParameters?.markets?.[market]?.feed;

// --- rendering ----------------------------------------------------------------

function renderReport(result) {
  const r = result.report;
  for (const el of document.querySelectorAll('[data-field]')) {
    if (el.closest('table')) continue;
    el.textContent = shown(field(r, el.dataset.field));
  }
  const status = r.cross.status;
  $('#status').dataset.status = status;
  $('#status .status-icon').textContent = STATUS_ICON[status] ?? '?';
  const ratio = r.cross.margin_ratio === null ? 5 : Math.min(Number(r.cross.margin_ratio), 5);
  $('#ratio-meter').value = ratio;
  $('#ratio-meter').textContent = shown(r.cross.margin_ratio);
  renderTable($('#positions-table'), 'positions', r.positions, 'market');
  renderTable($('#pools-table'), 'pools', { cross: r.cross, ...r.isolated }, 'pool');
  renderTable($('#collateral-table'), 'collateral', r.collateral, 'asset');
  renderCharts(result);
}

function badge(text, ok) {
  const li = document.createElement('li');
  li.className = 'badge';
  li.dataset.ok = String(ok);
  li.textContent = `${ok ? '✓' : '✗'} ${text}`;
  return li;
}

function renderVerification(result) {
  const v = result.verification;
  $('#badges').replaceChildren(
    badge(`risk parameters v${v.risk_parameters.version} signed by ${v.risk_parameters.key_id} (digest ${v.risk_parameters.digest.slice(0, 12)}…)`, true),
    badge(`snapshot ${v.snapshot.id} signed by ${v.snapshot.key_id}`, true),
    badge(`statement ${v.statement.id} signed by ${v.statement.key_id}`, true),
    ...Object.entries(v.feeds).map(([feed, f]) => badge(`${feed}: ${f.sources_used} of quorum ${f.quorum} sources, mark ${f.mark}`, true)),
  );
  const head = document.createElement('tr');
  for (const h of ['#', 'source', 'feed', 'price', 'status', 'reason']) {
    const th = document.createElement('th');
    th.textContent = h;
    head.append(th);
  }
  const rows = v.messages.map((m) => {
    const tr = document.createElement('tr');
    tr.dataset.message = String(m.index);
    for (const [value, cls] of [
      [m.index],
      [m.key_id],
      [m.feed],
      [m.price],
      [m.status, m.status],
      [m.reason ? `${m.reason}: ${m.detail}` : ''],
    ]) {
      const td = document.createElement('td');
      td.textContent = shown(value);
      if (cls) td.className = cls;
      tr.append(td);
    }
    return tr;
  });
  $('#messages-table').replaceChildren(head, ...rows);
}

async function renderPublished() {
  const box = $('#published-result');
  if (!state.published) {
    box.dataset.match = 'unknown';
    box.textContent = 'No published results loaded.';
    return;
  }
  const c = await call('verify', { result: state.baseline, published: state.published.value });
  box.dataset.match = String(c.match);
  const what = `published results (${state.published.name}) for ${c.account} at snapshot ${c.inputs.snapshot_id}, parameters v${c.inputs.risk_parameters_version}`;
  if (c.match) {
    box.textContent = `✓ Match: the ${what} equal the recomputed report, field for field.`;
    return;
  }
  const p = document.createElement('p');
  p.textContent = `✗ Mismatch: ${c.differences.length} field(s) of the ${what} differ.`;
  const ul = document.createElement('ul');
  for (const d of c.differences) {
    const li = document.createElement('li');
    li.dataset.path = d.path;
    li.textContent = `${d.path} (${d.kind}): published ${shown(d.published)}, recomputed ${shown(d.recomputed)}`;
    ul.append(li);
  }
  box.replaceChildren(p, ul);
}

function fillSelectors(result) {
  const feeds = Object.keys(result.verification.feeds);
  const wf = $('#whatif-feed');
  if (wf.options.length !== feeds.length) wf.replaceChildren(...feeds.map((f) => new Option(f, f)));
  const markets = Object.keys(riskParameters.markets);
  const pm = $('#pretrade-market');
  if (pm.options.length !== markets.length) pm.replaceChildren(...markets.map((m) => new Option(m, m)));
}

// --- verification ----------------------------------------------------------

async function adopt(docs, names, published) {
  const result = await call('verifyEvaluate', docs); // throws: the caller reports it, nothing changes
  state.docs = docs;
  state.names = names;
  state.baseline = result;
  state.current = result;
  if (published !== undefined) state.published = published;
  riskParameters = payloadOf(docs.params).risk_parameters;
  state.account = payloadOf(docs.statement).account; // decoded once, not on every what-if
  fillSelectors(result);
  renderReport(result);
  renderVerification(result);
  await renderPublished();
  await call('openSession', { trust: docs.trust, params: docs.params, statement: docs.statement });
  state.live.next = 0;
  updateWhatIf();
}

async function loadExample() {
  const get = async (path) => {
    const r = await fetch(path);
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return r.text();
  };
  const [trust, params, snapshot, statement, published, index] = await Promise.all([
    get('./signed/trust.json'),
    get('./signed/risk_parameters.signed'),
    get('./signed/snapshot.signed'),
    get('./signed/statement.signed'),
    get('./published.json'),
    get('./stream/index.json'),
  ]);
  state.live.index = JSON.parse(index);
  await adopt(
    { trust, params, snapshot, statement },
    { trust: 'trust.json', params: 'risk_parameters.signed', snapshot: 'snapshot.signed', statement: 'statement.signed' },
    { name: 'published.json', value: JSON.parse(published) },
  );
}

// --- live -------------------------------------------------------------------------

async function snapshotText(i) {
  const name = state.live.index[i];
  if (!state.live.cache.has(name)) {
    const r = await fetch(`./stream/${name}`);
    state.live.cache.set(name, await r.text());
  }
  return state.live.cache.get(name);
}

async function tick() {
  const live = state.live;
  if (live.busy || !live.on) return; // never queue ticks: a slow tick is skipped, not stacked
  if (live.next >= live.index.length) return stopLive('end of the stream');
  live.busy = true;
  try {
    const text = await snapshotText(live.next);
    const { result, engineMs } = await call('tick', text);
    live.next += 1;
    live.ticks += 1;
    const now = performance.now();
    live.times.push(now);
    while (live.times.length > 0 && now - live.times[0] > 3000) live.times.shift();
    state.current = result;
    requestAnimationFrame(() => {
      renderReport(result);
      renderVerification(result);
      $('#tick-count').textContent = String(live.ticks);
      $('#tick-snapshot').textContent = result.verification.snapshot.id;
      $('#tick-engine').textContent = `${engineMs.toFixed(2)} ms`;
      const rate = live.times.length > 1 ? ((live.times.length - 1) * 1000) / (now - live.times[0]) : 0;
      $('#tick-rate').textContent = `${rate.toFixed(1)} ticks/s`;
      $('#tick-rate').dataset.rate = rate.toFixed(2);
      updateWhatIf();
    });
    // prefetch the next snapshot while the page renders
    if (live.next < live.index.length) snapshotText(live.next);
  } catch (e) {
    stopLive('a tick was rejected');
    showError(describeError(e, { ...state.names, snapshot: state.live.index[live.next] }));
  } finally {
    live.busy = false;
  }
}

function startLive() {
  const live = state.live;
  live.on = true;
  clearInterval(live.timer);
  live.timer = setInterval(tick, 1000 / Number($('#live-rate').value));
  $('#live-toggle').textContent = 'Pause live feed';
  $('#live-toggle').setAttribute('aria-pressed', 'true');
}
function stopLive(why) {
  state.live.on = false;
  clearInterval(state.live.timer);
  $('#live-toggle').textContent = why ? `Start live feed (stopped: ${why})` : 'Start live feed';
  $('#live-toggle').setAttribute('aria-pressed', 'false');
}
$('#live-toggle').addEventListener('click', () => (state.live.on ? stopLive() : startLive()));
$('#fit-levels').addEventListener('change', () => {
  for (const c of charts.values()) c.chart.priceScale('right').applyOptions({ autoScale: true });
  if (state.current) renderCharts(state.current);
});
$('#live-rate').addEventListener('change', () => state.live.on && startLive());

// --- what-if and pre-trade -------------------------------------------------------

function plainInput(result) {
  const feeds = {};
  for (const [feed, f] of Object.entries(result.verification.feeds)) {
    feeds[feed] = { mark: f.mark, stable: f.stable };
    if (f.volatility !== null) feeds[feed].volatility = f.volatility;
  }
  return {
    risk_parameters: riskParameters,
    prices: { as_of: result.verification.snapshot.as_of, feeds },
    account: state.account,
  };
}
// An integer percentage as an exact decimal ratio string: -15 -> "-0.15".
const ratioOf = (percent) => (percent === 0 ? '0' : `${percent < 0 ? '-' : ''}${Math.floor(Math.abs(percent) / 100)}.${String(Math.abs(percent) % 100).padStart(2, '0')}`);

let whatIfSeq = 0;
async function updateWhatIf() {
  if (!state.current) return;
  const percent = Number($('#whatif-shock').value);
  $('#whatif-shock-value').textContent = `${percent > 0 ? '+' : ''}${percent}%`;
  const seq = ++whatIfSeq;
  const input = { ...plainInput(state.current), scenario: { shocks: { [$('#whatif-feed').value]: ratioOf(percent) } } };
  try {
    const r = await call('evaluate', input);
    if (seq !== whatIfSeq) return;
    for (const el of document.querySelectorAll('[data-whatif]')) el.textContent = shown(field(r, el.dataset.whatif));
  } catch (e) {
    if (seq === whatIfSeq) showError(describeError(e));
  }
}
$('#whatif-shock').addEventListener('input', updateWhatIf);
$('#whatif-feed').addEventListener('change', updateWhatIf);

$('#pretrade-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const query = { market: $('#pretrade-market').value, side: $('#pretrade-side').value };
  const price = $('#pretrade-price').value.trim();
  if (price) query.price = price;
  try {
    const r = await call('largestOrder', { ...plainInput(state.current), query });
    $('#pretrade-result').textContent = `${r.side} up to ${r.quantity} ${r.market} at ${r.price}: the pool it lands in stays ${r.pool_after.status} (initial margin ${r.pool_after.initial_margin}, equity ${r.pool_after.equity}).`;
  } catch (e) {
    $('#pretrade-result').textContent = `Rejected: [vmargin.${e.code}] ${e.path ? `${e.path}: ` : ''}${e.message}`;
  }
});

// --- the user's files --------------------------------------------------------------

function kindOf(text) {
  const doc = JSON.parse(text);
  if (doc && typeof doc === 'object' && 'keys' in doc) return 'trust';
  if (doc && typeof doc.type === 'string' && 'payload' in doc) {
    return { 'risk_parameters/v1': 'params', 'snapshot/v1': 'snapshot', 'statement/v1': 'statement' }[doc.type] ?? null;
  }
  if (doc && typeof doc === 'object' && 'cross' in doc && 'positions' in doc) return 'published';
  return null;
}

async function useFiles(files, forced) {
  clearErrors();
  const docs = { ...state.docs };
  const names = { ...state.names };
  let published;
  for (const file of files) {
    const text = await file.text();
    let kind = forced;
    try {
      kind ??= kindOf(text);
    } catch {
      showError(`file “${file.name}”: not JSON, so not a trust store, a signed document or a report`);
      return;
    }
    if (!kind) {
      showError(`file “${file.name}”: not a trust store, a signed document or a report`);
      return;
    }
    if (kind === 'published') {
      try {
        published = { name: file.name, value: JSON.parse(text) };
      } catch (e) {
        showError(`published results file “${file.name}”: not valid JSON (${e.message})`);
        return;
      }
    } else {
      docs[kind] = text;
      names[kind] = file.name;
    }
  }
  try {
    stopLive();
    await adopt(docs, names, published);
  } catch (e) {
    showError(describeError(e, names));
    // the previous, verified documents stay in place
    await call('openSession', { trust: state.docs.trust, params: state.docs.params, statement: state.docs.statement });
  }
}

for (const input of document.querySelectorAll('input[type=file]')) {
  input.addEventListener('change', () => {
    if (input.files.length) useFiles([...input.files], input.dataset.doc);
    input.value = '';
  });
}
const zone = $('#drop-zone');
zone.addEventListener('dragover', (e) => {
  e.preventDefault();
  zone.classList.add('over');
});
zone.addEventListener('dragleave', () => zone.classList.remove('over'));
zone.addEventListener('drop', (e) => {
  e.preventDefault();
  zone.classList.remove('over');
  useFiles([...e.dataTransfer.files]);
});
$('#reset-example').addEventListener('click', () => {
  clearErrors();
  stopLive();
  loadExample().catch((e) => showError(describeError(e)));
});

// --- start --------------------------------------------------------------------------

call('version')
  .then((v) => {
    $('#engine-version').textContent = `vmargin ${v} (WebAssembly, in a Web Worker)`;
    return loadExample();
  })
  .then(() => document.body.setAttribute('data-ready', 'true'))
  .catch((e) => showError(e.code ? describeError(e) : `The example could not be loaded: ${e.message}`));
