// The page: loads the signed example (or the user's files), verifies and
// evaluates it in a Web Worker, shows the risk first (worst status over every
// pool, distance to each liquidation), follows a live stream of signed
// snapshots, and checks the exchange's published results field by field.
//
// One view at a time (state.view): the base snapshot of the example, a live
// tick, or the user's files. Everything on screen (headline, verification
// summary, tables, charts) describes that view; adopting new documents resets
// the live card and the charts.
import {
  STATUS_ICON,
  STATUS_TEXT,
  absolute,
  compare,
  format,
  formatDistance,
  formatTime,
  distancePercent,
  maintenancePercent,
  poolsOf,
  positionsOf,
  ratio,
  summary,
  worstStatus,
} from './risk.js';
import { loadCharts, refitCharts, renderCharts, resetCharts, setupCharts } from './charts.js';

// --- the worker -------------------------------------------------------------

// started early by index.html in the build (vite.config.mjs), here otherwise
const worker = window.vmarginWorker ?? new Worker(new URL('./engine.worker.js', import.meta.url), { type: 'module' });
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
const NEAR_PERCENT = '10'; // a liquidation within 10 % of the mark is flagged
const state = {
  docs: null, // {trust, params, snapshot, statement}
  names: {}, // which file each document came from
  published: null, // {name, value}
  comparison: null, // the engine's verify() of the published results against the base result
  account: null, // the statement's account, for what-if and pre-trade
  baseline: null, // the verified result for docs.snapshot
  generation: 0, // counts adopted document sets
  view: null, // {source: 'example' | 'files' | 'live', result, tick}
  expanded: new Set(), // positions whose details are open
  userFiles: {}, // document kind -> the name of the user's file shown
  live: { on: false, timer: 0, busy: false, index: [], next: 0, ticks: 0, times: [], cache: new Map() },
};
const DOCS_OF = { '/trust': 'trust', '/state': 'state', '/params': 'params', '/snapshot': 'snapshot', '/statement': 'statement' };

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
  const root = Object.keys(DOCS_OF).find((r) => e.path === r || (e.path || '').startsWith(`${r}/`));
  const doc = root ? DOCS_OF[root] : null;
  const file = doc && names[doc] ? ` file “${names[doc]}”` : '';
  return `${doc ?? 'input'}${file}: [vmargin.${e.code}] ${e.path ? `${e.path}: ` : ''}${e.message}`;
}
function filesStatus(text, ok, box = $('#files-status')) {
  box.dataset.state = ok ? 'ok' : 'error';
  box.textContent = `${ok ? '✓' : '✗'} ${text}`;
}

// --- helpers --------------------------------------------------------------------

const payloadOf = (envelopeText) => {
  const bytes = Uint8Array.from(atob(JSON.parse(envelopeText).payload), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
};
const field = (obj, path) => path.split('.').reduce((o, k) => (o == null ? o : o[k]), obj);
const exactText = (v) =>
  v === null || v === undefined
    ? '–'
    : typeof v === 'object'
      ? JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x)) // the package's integers are bigints
      : String(v);
const exactMode = () => $('#exact-digits').checked;

// The display format of a report field, by its name.
function formatOf(key) {
  if (key === 'as_of' || key === 'expiry' || key.endsWith('publish_time')) return 'time';
  if (key === 'margin_ratio') return 'times';
  if (/(^|_)price$|^mark$|^stable$|^previous_stable$/.test(key)) return 'price';
  if (/rate$|weight$|multiplier$|adl_index$|volatility$/.test(key)) return 'rate';
  if (key === 'quantity' || key === 'balance') return 'quantity';
  return 'amount';
}
const isDecimal = (v) => typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v);
function display(v, kind) {
  if (v === null || v === undefined) return '–';
  if (kind === 'time') return formatTime(v);
  if (isDecimal(v) && format[kind]) return format[kind](v);
  return exactText(v).replaceAll('_', ' ');
}

// Fills an element with an engine value: formatted text, the exact value in
// data-exact and the tooltip, the exact text itself in "exact digits" mode.
function put(el, v, kind = el.dataset.format ?? 'amount') {
  const exact = exactText(v);
  const text = exactMode() ? exact : display(v, kind);
  el.dataset.exact = exact;
  el.textContent = text;
  if (text !== exact) el.title = `exact: ${exact}`;
  else el.removeAttribute('title');
  return el;
}
function cell(tag, path, v, kind) {
  const el = document.createElement(tag);
  if (path) el.dataset.field = path;
  return put(el, v, kind);
}
function textCell(tag, text, cls) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (cls) el.className = cls;
  return el;
}
function headRow(labels) {
  const tr = document.createElement('tr');
  for (const l of labels) {
    const th = textCell('th', l);
    th.scope = 'col';
    tr.append(th);
  }
  return tr;
}
function flatten(obj, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && k !== 'liquidation_plan') flatten(v, `${prefix}${k}.`, out);
    else out[`${prefix}${k}`] = v;
  }
  return out;
}
const lastKey = (path) => path.split('.').at(-1);

// A <dl> of every field of an engine object not shown elsewhere.
function detailsList(group, id, obj, skip) {
  const dl = document.createElement('dl');
  dl.className = 'numbers details-list';
  for (const [k, v] of Object.entries(flatten(obj))) {
    if (skip.has(k)) continue;
    dl.append(textCell('dt', k.replaceAll('_', ' ').replaceAll('.', ' › ')), cell('dd', `${group}.${id}.${k}`, v, formatOf(lastKey(k))));
  }
  return dl;
}

// --- rendering: risk first ----------------------------------------------------------

function renderHeadline() {
  const view = state.view;
  const r = view.result.report;
  const s = summary(r, NEAR_PERCENT);
  const risk = $('#risk');
  const pools = poolsOf(r);
  const uncomparable = Boolean(state.published && !state.comparison && view.source !== 'live');
  const mismatch = (state.comparison && view.source !== 'live' && !state.comparison.match) || uncomparable;
  risk.dataset.status = s.status;
  risk.dataset.verdict = mismatch ? 'mismatch' : 'verified';
  let text;
  if (mismatch) {
    const n = uncomparable ? 0 : state.comparison.differences.length;
    text = uncomparable
      ? 'Disputed: the exchange’s published results could not be compared with the recomputation'
      : `Disputed: the exchange's published results differ from the recomputation in ${n} field${n === 1 ? '' : 's'}`;
    risk.dataset.status = 'disputed';
  } else if (s.status === 'healthy') {
    text = `${STATUS_TEXT.healthy}: ${pools.length === 1 ? 'the only pool' : `all ${pools.length} pools`} above maintenance`;
  } else {
    const which = s.pools.map((id) => pools.find((p) => p.id === id).label).join(', ');
    text = `${STATUS_TEXT[s.status]}: ${which}`;
  }
  $('#headline .status-icon').textContent = mismatch ? '⚠' : STATUS_ICON[s.status];
  $('#headline-text').textContent = text;
  $('#headline-detail').textContent =
    (mismatch ? `Recomputed from the signed inputs: ${STATUS_TEXT[s.status].toLowerCase()}. ` : '') +
    pools
      .map(({ label, pool }) => {
        const m = maintenancePercent(pool);
        return `${label}: ${STATUS_TEXT[pool.status].toLowerCase()}, margin ratio ${format.times(pool.margin_ratio)}${m ? ` (maintenance ${m === '∞' ? '∞' : `${m} %`} of equity)` : ''}`;
      })
      .join(' · ');
  const nearest = $('#nearest');
  if (s.nearest) {
    const n = s.nearest;
    nearest.dataset.near = String(s.near);
    nearest.dataset.market = n.market;
    nearest.dataset.distance = n.liquidationDistance;
    nearest.textContent = `${s.near ? '⚠ ' : ''}Nearest liquidation: ${n.market} ${n.side}, ${formatDistance(n.liquidationDistance)} away (mark ${format.price(n.p.mark_price)} → liquidation ${format.price(n.p.liquidation_price)})`;
  } else {
    nearest.dataset.near = 'false';
    nearest.textContent = 'No liquidation price: no position can be liquidated by a price move alone.';
  }
  const src = $('#view-source');
  src.dataset.source = view.source;
  const snap = view.result.verification.snapshot;
  const what = {
    example: 'the example’s signed documents',
    files: `${state.userFiles.statement ? 'your' : 'the example with your'} documents (${Object.values(state.userFiles).map((f) => `“${f}”`).join(', ')})`,
    live: `live tick ${view.tick}`,
  }[view.source];
  src.textContent = `Showing ${what}: snapshot ${snap.id}, as of ${formatTime(snap.as_of)}.`;
}

function renderAccount(r) {
  for (const el of document.querySelectorAll('#health [data-field]')) put(el, field(r, el.dataset.field));
  const status = r.cross.status;
  $('#status').dataset.status = status;
  $('#status .status-icon').textContent = STATUS_ICON[status] ?? '?';
  const m = maintenancePercent(r.cross);
  const mp = $('#maint-percent');
  mp.dataset.exact = m ?? '–';
  mp.textContent = m === null ? 'no requirement' : m === '∞' ? '∞ (equity ≤ 0)' : `${m} %`;
  // the meter is a picture of the same number: display only
  $('#ratio-meter').value = m === null ? 0 : m === '∞' ? 100 : Math.min(Number(m), 100);
  $('#ratio-meter').textContent = mp.textContent;
}

const POSITION_COLUMNS = ['Market', 'Side', 'Size', 'Entry', 'Mark', 'uPnL', 'Liquidation', 'Distance', 'Requirement'];
// shown in the row on every screen; the other columns are hidden on phones, so the details list them too
const POSITION_SHOWN = new Set(['quantity', 'liquidation_price']);
const OPTIONAL = new Set([3, 4, 5, 8]); // entry, mark, uPnL, requirement

function renderPositions(r) {
  const head = headRow([...POSITION_COLUMNS, 'Details']);
  for (const i of OPTIONAL) head.children[i].classList.add('col-optional');
  const rows = [head];
  for (const row of positionsOf(r)) {
    const { market, p } = row;
    const id = `details-${market}`;
    const tr = document.createElement('tr');
    tr.dataset.market = market;
    const th = textCell('th', market);
    th.scope = 'row';
    const side = textCell('td', row.side, `side-${row.side}`);
    const dist = textCell('td', formatDistance(row.liquidationDistance), 'distance');
    dist.dataset.distance = row.liquidationDistance ?? 'none';
    const near = row.liquidationDistance !== null && compare(absolute(row.liquidationDistance), NEAR_PERCENT) <= 0;
    dist.dataset.near = String(near);
    const more = document.createElement('button');
    more.type = 'button';
    more.className = 'more';
    more.setAttribute('aria-expanded', String(state.expanded.has(market)));
    more.setAttribute('aria-controls', id);
    more.textContent = state.expanded.has(market) ? 'Hide' : 'More';
    more.setAttribute('aria-label', `${state.expanded.has(market) ? 'Hide' : 'More'} fields of ${market}`);
    const moreCell = document.createElement('td');
    moreCell.append(more);
    tr.append(
      th,
      side,
      cell('td', `positions.${market}.quantity`, p.quantity, 'quantity'),
      cell('td', `positions.${market}.entry_price`, p.entry_price, 'price'),
      cell('td', `positions.${market}.mark_price`, p.mark_price, 'price'),
      cell('td', `positions.${market}.unrealized_pnl`, p.unrealized_pnl, 'amount'),
      cell('td', `positions.${market}.liquidation_price`, p.liquidation_price, 'price'),
      dist,
      cell('td', `positions.${market}.maintenance_margin`, p.maintenance_margin, 'amount'),
      moreCell,
    );
    for (const i of OPTIONAL) tr.children[i].classList.add('col-optional');
    // the size is shown unsigned next to its side; the exact value stays signed
    tr.children[2].textContent = exactMode() ? p.quantity : format.quantity(row.size);
    const details = document.createElement('tr');
    details.className = 'details';
    details.id = id;
    details.hidden = !state.expanded.has(market);
    const td = document.createElement('td');
    td.colSpan = POSITION_COLUMNS.length + 1;
    const bkr = textCell('p', `Bankruptcy price ${format.price(p.bankruptcy_price)} (${formatDistance(row.bankruptcyDistance)} from the mark); initial margin ${format.amount(p.initial_margin)}; ${p.pool === 'cross' ? 'cross margin' : 'isolated margin'}.`);
    td.append(bkr, detailsList('positions', market, p, POSITION_SHOWN));
    details.append(td);
    rows.push(tr, details);
  }
  $('#positions-table').replaceChildren(...rows);
}

const POOL_COLUMNS = [
  ['status', 'Status', 'text'],
  ['equity', 'Equity', 'amount'],
  ['maintenance_margin', 'Maintenance', 'amount'],
  ['initial_margin', 'Initial', 'amount'],
  ['free_collateral', 'Free collateral', 'amount'],
  ['margin_ratio', 'Margin ratio', 'times'],
];
function renderPools(r) {
  const rows = [headRow(['Pool', ...POOL_COLUMNS.map((c) => c[1]), 'Maint. ÷ equity', 'Other fields'])];
  for (const { id, label, pool } of poolsOf(r)) {
    const tr = document.createElement('tr');
    tr.dataset.pool = id;
    tr.dataset.status = pool.status;
    const th = textCell('th', label);
    th.scope = 'row';
    tr.append(th);
    for (const [k, , kind] of POOL_COLUMNS) {
      const td = cell('td', `pools.${id}.${k}`, pool[k], kind);
      if (k === 'status') {
        td.className = 'pool-status';
        td.textContent = `${STATUS_ICON[pool.status]} ${exactMode() ? pool.status : STATUS_TEXT[pool.status]}`;
      }
      tr.append(td);
    }
    const m = maintenancePercent(pool);
    tr.append(textCell('td', m === null ? '–' : m === '∞' ? '∞' : `${m} %`));
    const other = document.createElement('td');
    const d = document.createElement('details');
    d.append(textCell('summary', 'show'), detailsList('pools', id, pool, new Set(POOL_COLUMNS.map((c) => c[0]))));
    other.append(d);
    tr.append(other);
    rows.push(tr);
  }
  $('#pools-table').replaceChildren(...rows);
}

const COLLATERAL_COLUMNS = [
  ['balance', 'Balance', 'quantity'],
  ['price', 'Price', 'price'],
  ['value', 'Value', 'amount'],
  ['maintenance_weight', 'Maint. weight', 'rate'],
  ['maintenance_value', 'Maint. value', 'amount'],
  ['initial_weight', 'Initial weight', 'rate'],
  ['initial_value', 'Initial value', 'amount'],
];
function renderCollateral(r) {
  // Fields only some assets have (e.g. total_deposits_value, spec §5.8) get a column of their own.
  const extra = [...new Set(Object.values(r.collateral).flatMap((c) => Object.keys(flatten(c))))]
    .filter((k) => !COLLATERAL_COLUMNS.some((col) => col[0] === k)).sort();
  const rows = [headRow(['Asset', ...COLLATERAL_COLUMNS.map((c) => c[1]), ...extra.map((k) => k.replaceAll('_', ' ').replaceAll('.', ' › '))])];
  for (const [asset, c] of Object.entries(r.collateral)) {
    const tr = document.createElement('tr');
    const th = textCell('th', asset);
    th.scope = 'row';
    tr.append(th, ...COLLATERAL_COLUMNS.map(([k, , kind]) => cell('td', `collateral.${asset}.${k}`, c[k], kind)));
    for (const k of extra) {
      tr.append(k in flatten(c) ? cell('td', `collateral.${asset}.${k}`, field(c, k), formatOf(lastKey(k))) : textCell('td', ''));
    }
    rows.push(tr);
  }
  $('#collateral-table').replaceChildren(...rows);
}

// --- rendering: verification --------------------------------------------------------

// "/positions/BTC-PERP/liquidation_price" -> the data-field paths that show it
function fieldsOfPath(path) {
  const [, group, id, ...rest] = path.split('/');
  if (group === 'cross') return [`cross.${[id, ...rest].join('.')}`, `pools.cross.${[id, ...rest].join('.')}`];
  if (group === 'isolated') return [`pools.${id}.${rest.join('.')}`];
  if (['positions', 'collateral'].includes(group)) return [`${group}.${id}.${rest.join('.')}`];
  return [[group, id, ...rest].filter(Boolean).join('.')];
}

function renderVerification() {
  const { result, source } = state.view;
  const v = result.verification;
  const ok = $('#verified');
  ok.dataset.verified = 'true';
  ok.textContent = `✓ Signatures and trust verified: snapshot ${v.snapshot.id} signed by ${v.snapshot.key_id} · risk parameters v${v.risk_parameters.version} signed by ${v.risk_parameters.key_id} (valid ${formatTime(v.risk_parameters.valid_from).slice(0, 10)} to ${formatTime(v.risk_parameters.valid_until).slice(0, 10)}) · statement ${v.statement.id} signed by ${v.statement.key_id}.`;
  const dropped = v.messages.filter((m) => m.status !== 'used').length;
  $('#feeds-line').textContent = `Feeds: ${Object.entries(v.feeds)
    .map(([feed, f]) => `${feed} mark ${format.price(f.mark)} from ${f.sources_used} sources (quorum ${f.quorum})`)
    .join(' · ')}. ${v.messages.length} oracle messages, ${dropped} dropped.`;
  $('#messages summary').textContent = `Oracle messages (${v.messages.length - dropped} used, ${dropped} dropped)`;

  const rows = v.messages.map((m) => {
    const tr = document.createElement('tr');
    tr.dataset.message = String(m.index);
    for (const [value, cls] of [[m.index], [m.key_id], [m.feed], [m.price], [m.status, m.status], [m.reason ? `${m.reason}: ${m.detail}` : '']]) {
      tr.append(textCell('td', exactText(value), cls));
    }
    return tr;
  });
  $('#messages-table').replaceChildren(headRow(['#', 'source', 'feed', 'price', 'status', 'reason']), ...rows);

  const box = $('#published-result');
  for (const el of document.querySelectorAll('.differs')) el.classList.remove('differs');
  const c = state.comparison;
  if (!state.published) {
    box.dataset.match = 'unknown';
    box.textContent = 'No published results to compare: load the exchange’s results (JSON) under “Your own files”.';
    return;
  }
  if (!c) {
    box.dataset.match = 'unknown';
    box.textContent = `✗ The published results (${state.published.name}) could not be compared: ${state.comparisonError ?? 'unknown error'}.`;
    return;
  }
  if (source === 'live') {
    box.dataset.match = 'not-applicable';
    box.textContent = `The exchange’s published results (${state.published.name}) are for snapshot ${c.inputs.snapshot_id}; the live snapshot ${v.snapshot.id} on screen has none to compare with.`;
    return;
  }
  const what = `published results (${state.published.name}) for ${c.account} at snapshot ${c.inputs.snapshot_id}, parameters v${c.inputs.risk_parameters_version}`;
  box.dataset.match = String(c.match);
  if (c.match) {
    box.textContent = `✓ Exchange numbers match: the ${what} equal the recomputed report, field for field.`;
    return;
  }
  const p = textCell('p', `✗ ${c.differences.length} field${c.differences.length === 1 ? '' : 's'} differ: the ${what} disagree with the recomputation (highlighted below).`);
  const ul = document.createElement('ul');
  for (const d of c.differences) {
    const clip = (v) => (v.length > 80 ? `${v.slice(0, 80)}…` : v);
    const li = textCell('li', `${d.path} (${d.kind}): published ${clip(exactText(d.published))}, recomputed ${clip(exactText(d.recomputed))}`);
    li.title = `published ${exactText(d.published)}, recomputed ${exactText(d.recomputed)}`;
    li.dataset.path = d.path;
    ul.append(li);
    for (const f of fieldsOfPath(d.path)) {
      for (const el of document.querySelectorAll(`[data-field="${CSS.escape(f)}"]`)) {
        el.classList.add('differs');
        el.title = `published ${exactText(d.published)}, recomputed ${exactText(d.recomputed)}`;
        const details = el.closest('tr.details');
        if (details) {
          details.hidden = false; // a differing detail is never hidden
          state.expanded.add(details.id.slice('details-'.length));
        }
        el.closest('tr')?.classList.add('row-differs');
      }
    }
  }
  box.replaceChildren(p, ul);
}

function renderView() {
  const r = state.view.result.report;
  renderAccount(r);
  renderPositions(r);
  renderPools(r);
  renderCollateral(r);
  renderVerification(); // after the tables: it highlights their differing cells
  renderHeadline();
  drawCharts();
}

function fillSelectors(result) {
  const feeds = Object.keys(result.verification.feeds);
  const wf = $('#whatif-feed');
  if ([...wf.options].map((o) => o.value).join() !== feeds.join()) wf.replaceChildren(...feeds.map((f) => new Option(f, f)));
  const markets = Object.keys(riskParameters.markets);
  const pm = $('#pretrade-market');
  if ([...pm.options].map((o) => o.value).join() !== markets.join()) pm.replaceChildren(...markets.map((m) => new Option(m, m)));
}

// --- charts (web/src/charts.js) ----------------------------------------------------

let whatIfLevels = new Map(); // feed -> [levels of the what-if: the moved mark, moved liquidation prices]
let riskParameters = null;
// A position key is a market id, or a hedge leg's "<market>:long" / "<market>:short" (spec §3.3).
const marketFeed = (key) => {
  const markets = riskParameters?.markets;
  if (!markets) return undefined;
  if (markets[key]) return markets[key].feed;
  const leg = /^(.+):(long|short)$/.exec(key);
  return leg ? markets[leg[1]]?.feed : undefined;
};
setupCharts({ list: $('#chart-list'), ratioBox: $('#ratio-history'), fitLevels: () => $('#fit-levels').checked, marketFeed });
function drawCharts() {
  if (!state.view) return;
  renderCharts(state.view.result, {
    whatIf: whatIfLevels,
    live: state.view.source === 'live',
    marginCallPercent: ratio('1', riskParameters.margin_call_ratio, 2, 100n),
  });
}

// --- verification ----------------------------------------------------------

function setView(result, source, tick = 0) {
  state.view = { result, source, tick };
  renderView();
}

function resetLiveCard() {
  const live = state.live;
  live.ticks = 0;
  live.times = [];
  live.next = 0;
  $('#tick-count').textContent = '0';
  $('#tick-snapshot').textContent = '–';
  $('#tick-rate').textContent = '–';
  delete $('#tick-rate').dataset.rate;
  $('#tick-engine').textContent = '–';
  $('#live-status').textContent = '';
}

async function adopt(docs, names, published, source) {
  const result = await call('verifyEvaluate', docs); // throws: the caller reports it, nothing changes
  stopLive();
  state.generation += 1;
  state.docs = docs;
  state.names = names;
  state.baseline = result;
  if (published !== undefined) state.published = published;
  riskParameters = payloadOf(docs.params).risk_parameters;
  state.account = payloadOf(docs.statement).account; // decoded once, not on every what-if
  state.comparisonError = null;
  state.comparison = state.published
    ? await call('verify', { result, published: state.published.value }).catch((e) => {
        state.comparisonError = e.code ? `[vmargin.${e.code}] ${e.path ? `${e.path}: ` : ''}${e.message}` : e.message;
        return null;
      })
    : null;
  clearErrors();
  resetLiveCard();
  resetCharts();
  whatIfLevels = new Map();
  state.expanded.clear();
  $('#pretrade-result').textContent = '–'; // computed for the documents just replaced
  fillSelectors(result);
  $('#margin-call-percent').textContent = `${ratio('1', riskParameters.margin_call_ratio, 2, 100n)} %`;
  setView(result, source);
  if (performance.getEntriesByName('vmargin-verified-render').length === 0) performance.mark('vmargin-verified-render');
  await call('openSession', { trust: docs.trust, params: docs.params, statement: docs.statement });
  updateWhatIf();
  return result;
}

const EXAMPLE_NAMES = { trust: 'trust.json', params: 'risk_parameters.signed', snapshot: 'snapshot.signed', statement: 'statement.signed' };
async function loadExample() {
  const early = window.vmarginFetches ?? {}; // started by index.html (vite.config.mjs), for the first load
  window.vmarginFetches = null;
  const get = async (path) => {
    const r = await (early[path] ?? fetch(path));
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
  state.userFiles = {};
  await adopt({ trust, params, snapshot, statement }, EXAMPLE_NAMES, { name: 'published.json', value: JSON.parse(published) }, 'example');
}

// --- live -------------------------------------------------------------------------

// The stream's snapshots, fetched ahead: the cache holds promises, so a
// prefetch still in flight is awaited rather than fetched twice.
function snapshotText(i) {
  const name = state.live.index[i];
  if (!state.live.cache.has(name)) {
    const text = fetch(`./stream/${name}`).then((r) => {
      if (!r.ok) throw new Error(`stream snapshot ${name}: HTTP ${r.status}`);
      return r.text();
    });
    text.catch(() => state.live.cache.delete(name)); // a failed fetch is retried on its tick
    state.live.cache.set(name, text);
  }
  return state.live.cache.get(name);
}

async function tick() {
  const live = state.live;
  if (live.busy || !live.on) return; // never queue ticks: a slow tick is skipped, not stacked
  if (live.next >= live.index.length) return stopLive('end of the stream');
  live.busy = true;
  const name = live.index[live.next];
  try {
    const text = await snapshotText(live.next);
    const { result, engineMs } = await call('tick', text);
    if (!live.on) return; // paused, or new documents adopted, while the tick ran
    live.next += 1;
    live.ticks += 1;
    const now = performance.now();
    live.times.push(now);
    while (live.times.length > 0 && now - live.times[0] > 3000) live.times.shift();
    const generation = state.generation;
    requestAnimationFrame(() => {
      if (generation !== state.generation) return; // new documents were adopted meanwhile
      clearErrors(); // a good tick: older tick errors no longer describe the screen
      $('#live-status').textContent = '';
      setView(result, 'live', live.ticks);
      $('#tick-count').textContent = String(live.ticks);
      $('#tick-snapshot').textContent = result.verification.snapshot.id;
      $('#tick-engine').textContent = `${engineMs.toFixed(2)} ms`;
      const rate = live.times.length > 1 ? ((live.times.length - 1) * 1000) / (now - live.times[0]) : 0;
      $('#tick-rate').textContent = `${rate.toFixed(1)} ticks/s`;
      $('#tick-rate').dataset.rate = rate.toFixed(2);
      updateWhatIf();
    });
    // prefetch the next snapshot while the page renders
    for (let i = live.next; i < Math.min(live.next + 3, live.index.length); i += 1) snapshotText(i).catch(() => {});
  } catch (e) {
    live.next += 1; // skip the rejected snapshot: the next good tick clears the error
    const text = e.code ? describeError(e, { ...state.names, snapshot: name }) : String(e.message);
    showError(`Live tick rejected, the screen still shows the last verified snapshot: ${text}`);
    $('#live-status').textContent = `✗ ${text}`;
  } finally {
    live.busy = false;
  }
}

function startLive() {
  const live = state.live;
  if (live.next >= live.index.length) live.next = 0;
  live.on = true;
  clearInterval(live.timer);
  live.timer = setInterval(tick, 1000 / Number($('#live-rate').value));
  $('#live-toggle').textContent = 'Pause live feed';
  $('#live-toggle').setAttribute('aria-pressed', 'true');
  $('#live-status').textContent = 'Live: each tick is a signed snapshot, verified before it is shown.';
}
function stopLive(why) {
  state.live.on = false;
  clearInterval(state.live.timer);
  $('#live-toggle').textContent = 'Start live feed';
  $('#live-toggle').setAttribute('aria-pressed', 'false');
  if (why) $('#live-status').textContent = `Stopped: ${why}.`;
}
$('#live-toggle').addEventListener('click', () => (state.live.on ? stopLive('paused') : startLive()));
$('#fit-levels').addEventListener('change', () => {
  refitCharts();
  drawCharts();
});
$('#live-rate').addEventListener('change', () => state.live.on && startLive());
$('#exact-digits').addEventListener('change', () => state.view && renderView());
$('#positions-table').addEventListener('click', (e) => {
  const button = e.target.closest('button.more');
  if (!button) return;
  const details = document.getElementById(button.getAttribute('aria-controls'));
  const market = details.id.slice('details-'.length);
  const open = details.hidden;
  details.hidden = !open;
  if (open) state.expanded.add(market);
  else state.expanded.delete(market);
  button.setAttribute('aria-expanded', String(open));
  button.textContent = open ? 'Hide' : 'More';
  button.setAttribute('aria-label', `${open ? 'Hide' : 'More'} fields of ${market}`);
});

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

function renderWhatIf(r, feed, percent) {
  const s = summary(r, NEAR_PERCENT);
  const head = $('#whatif-headline');
  head.dataset.status = s.status;
  const bad = poolsOf(r).filter((p) => p.pool.status !== 'healthy');
  head.textContent = `${STATUS_ICON[s.status]} At ${feed} ${percent > 0 ? '+' : ''}${percent} %: ${
    bad.length === 0 ? 'every pool healthy' : bad.map((p) => `${p.label} ${STATUS_TEXT[p.pool.status].toLowerCase()}`).join(', ')
  }`;
  const rows = poolsOf(r).map(({ id, label, pool }) => {
    const tr = document.createElement('tr');
    tr.dataset.pool = id;
    tr.dataset.status = pool.status;
    const th = textCell('th', label);
    th.scope = 'row';
    const st = textCell('td', `${STATUS_ICON[pool.status]} ${STATUS_TEXT[pool.status]}`, 'pool-status');
    st.dataset.whatif = `${id}.status`;
    st.dataset.exact = pool.status;
    const eq = cell('td', null, pool.equity, 'amount');
    eq.dataset.whatif = `${id}.equity`;
    const mr = cell('td', null, pool.margin_ratio, 'times');
    mr.dataset.whatif = `${id}.margin_ratio`;
    tr.append(th, st, eq, mr);
    return tr;
  });
  $('#whatif-table').replaceChildren(headRow(['Pool', 'Status', 'Equity', 'Margin ratio']), ...rows);
  // after the move: each position's liquidation price and its distance from the moved mark
  const moved = positionsOf(r);
  const base = Object.fromEntries(positionsOf(state.view.result.report).map((row) => [row.market, row.p]));
  const liqRows = moved.map((row) => {
    const tr = document.createElement('tr');
    tr.dataset.market = row.market;
    const th = textCell('th', `${row.market} ${row.side}`);
    th.scope = 'row';
    const liq = cell('td', null, row.p.liquidation_price, 'price');
    liq.dataset.whatifLiquidation = row.market;
    const changed = row.p.liquidation_price !== base[row.market]?.liquidation_price;
    tr.dataset.changed = String(changed);
    const pool = row.p.pool === 'cross' ? r.cross : r.isolated?.[row.market];
    const past = row.p.liquidation_price === null && pool && pool.status !== 'healthy' && pool.status !== 'margin_call';
    const dist = textCell('td', past ? `none: the pool is ${STATUS_TEXT[pool.status].toLowerCase()}` : formatDistance(row.liquidationDistance), 'distance');
    dist.dataset.distance = row.liquidationDistance ?? 'none';
    tr.append(th, liq, dist, textCell('td', changed ? `was ${format.price(base[row.market]?.liquidation_price)}` : 'unchanged'));
    return tr;
  });
  $('#whatif-positions').replaceChildren(headRow(['Position', 'Liquidation', 'Distance from the moved mark', 'Before the move']), ...liqRows);
  // drawn on the charts: the moved mark (the engine's mark of a position on that feed) and every moved liquidation price
  whatIfLevels = new Map();
  const level = (f, l) => whatIfLevels.set(f, [...(whatIfLevels.get(f) ?? []), l]);
  if (percent !== 0) {
    const marks = state.view.result.verification.feeds;
    const shockedRow = moved.find((row) => marketFeed(row.market) === feed);
    if (shockedRow && marks[feed]) {
      level(feed, { market: 'what-if', kind: 'whatif', price: shockedRow.p.mark_price, distance: distancePercent(marks[feed].mark, shockedRow.p.mark_price), label: `what-if mark (${feed} ${percent > 0 ? '+' : ''}${percent} %)` });
    }
    for (const row of moved) {
      const f = marketFeed(row.market);
      if (row.p.liquidation_price === null || row.p.liquidation_price === base[row.market]?.liquidation_price || !marks[f]) continue;
      level(f, { market: row.market, kind: 'whatif-liq', price: row.p.liquidation_price, distance: distancePercent(marks[f].mark, row.p.liquidation_price), label: `${row.market} ${row.side} liq after the move` });
    }
  }
  drawCharts();
}

let whatIfSeq = 0;
async function updateWhatIf() {
  if (!state.view) return;
  const percent = Number($('#whatif-shock').value);
  $('#whatif-shock-value').textContent = `${percent > 0 ? '+' : ''}${percent}%`;
  const seq = ++whatIfSeq;
  const feed = $('#whatif-feed').value;
  const input = { ...plainInput(state.view.result), scenario: { shocks: { [feed]: ratioOf(percent) } } };
  try {
    const r = await call('evaluate', input);
    if (seq !== whatIfSeq) return;
    renderWhatIf(r, feed, percent);
  } catch (e) {
    if (seq === whatIfSeq) $('#whatif-headline').textContent = `✗ ${describeError(e)}`;
  }
}
$('#whatif-shock').addEventListener('input', updateWhatIf);
$('#whatif-feed').addEventListener('change', updateWhatIf);

$('#pretrade-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const query = { market: $('#pretrade-market').value, side: $('#pretrade-side').value };
  const price = $('#pretrade-price').value.trim();
  if (price) query.price = price;
  const snapshot = state.view.result.verification.snapshot.id;
  try {
    const r = await call('largestOrder', { ...plainInput(state.view.result), query });
    const out = $('#pretrade-result');
    out.dataset.exact = r.quantity;
    out.textContent = `${r.side} up to ${format.quantity(r.quantity)} ${r.market} at ${format.price(r.price)}: the pool it lands in stays ${STATUS_TEXT[r.pool_after.status].toLowerCase()} (initial margin ${format.amount(r.pool_after.initial_margin)}, equity ${format.amount(r.pool_after.equity)} USD). At snapshot ${snapshot}.`;
    out.title = `exact: quantity ${r.quantity}, price ${r.price}`;
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
  const docs = { ...state.docs };
  const names = { ...state.names };
  const list = files.map((f) => `“${f.name}”`).join(', ');
  const mine = {}; // kind -> file name
  let published;
  for (const file of files) {
    const text = await file.text();
    let kind = forced;
    try {
      kind ??= kindOf(text);
    } catch {
      return filesStatus(`file “${file.name}”: not JSON, so not a trust store, a signed document or a report. The screen still shows the previous, verified documents.`, false);
    }
    if (!kind) return filesStatus(`file “${file.name}”: not a trust store, a signed document or a report.`, false);
    mine[kind] = file.name;
    if (kind === 'published') {
      try {
        published = { name: file.name, value: JSON.parse(text) };
      } catch (e) {
        return filesStatus(`published results file “${file.name}”: not valid JSON (${e.message}). Nothing changed.`, false);
      }
    } else {
      docs[kind] = text;
      names[kind] = file.name;
    }
  }
  try {
    const before = state.userFiles;
    state.userFiles = { ...before, ...mine };
    await adopt(docs, names, published, 'files').catch((e) => {
      state.userFiles = before; // nothing was adopted
      throw e;
    });
    const c = state.comparison;
    const verdict = !state.published ? 'no published results to compare' : !c ? 'published results not comparable' : c.match ? 'exchange numbers match' : `${c.differences.length} published field(s) differ`;
    filesStatus(`${list} verified; now showing ${state.view.result.report.account} at snapshot ${state.view.result.verification.snapshot.id}: ${STATUS_TEXT[worstStatus(state.view.result.report).status].toLowerCase()}, ${verdict}.`, true);
  } catch (e) {
    filesStatus(`${describeError(e, names)}. The screen still shows the previous, verified documents.`, false);
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
// An account from an endpoint with the wallet panel's layout (web/README.md).
const urlStatus = (text, ok) => filesStatus(text, ok, $('#url-status'));
$('#url-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const endpoint = $('#url-endpoint').value.trim().replace(/\/+$/, '');
  const account = $('#url-account').value.trim();
  if (!endpoint || !account) return urlStatus('Give the endpoint and the account.', false);
  const urls = {
    params: `${endpoint}/risk_parameters.signed`,
    snapshot: `${endpoint}/snapshot.signed`,
    statement: `${endpoint}/statements/${encodeURIComponent(account)}.signed`,
  };
  urlStatus(`Loading ${account} from ${endpoint}…`, true);
  let texts;
  let published = null;
  try {
    texts = await Promise.all(
      Object.values(urls).map(async (url) => {
        const r = await fetch(url, { cache: 'no-store' });
        if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
        return r.text();
      }),
    );
    const r = await fetch(`${endpoint}/published/${encodeURIComponent(account)}.json`, { cache: 'no-store' });
    if (r.ok) published = { name: `published/${account}.json`, value: JSON.parse(await r.text()) };
  } catch (e) {
    return urlStatus(`${e.message}. Nothing changed.`, false);
  }
  const docs = { ...state.docs, params: texts[0], snapshot: texts[1], statement: texts[2] };
  const names = { ...state.names, ...urls };
  const before = state.userFiles;
  state.userFiles = { params: urls.params, snapshot: urls.snapshot, statement: urls.statement };
  try {
    await adopt(docs, names, published, 'files');
    urlStatus(`${account} from ${endpoint} verified: ${STATUS_TEXT[worstStatus(state.view.result.report).status].toLowerCase()}, ${published ? (state.comparison?.match ? 'exchange numbers match' : 'published results differ') : 'no published results at the endpoint'}.`, true);
  } catch (e) {
    state.userFiles = before;
    urlStatus(`${describeError(e, names)}. The screen still shows the previous, verified documents.`, false);
  }
});

$('#reset-example').addEventListener('click', () => {
  loadExample()
    .then(() => filesStatus('Back to the example: verified.', true))
    .catch((e) => filesStatus(e.code ? describeError(e) : e.message, false));
});

// --- start --------------------------------------------------------------------------

call('version').then((v) => ($('#engine-version').textContent = `vmargin ${v} (WebAssembly, in a Web Worker)`));
loadExample()
  .then(() => {
    document.body.setAttribute('data-ready', 'true');
    return loadCharts().then(drawCharts);
  })
  .catch((e) => showError(e.code ? describeError(e) : `The example could not be loaded: ${e.message}`));
