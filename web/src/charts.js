// The page's charts (lightweight-charts, loaded after the first verified
// render): a chart per feed with the mark and every position's liquidation
// and bankruptcy level, levels off the scale listed at the edge they lie
// beyond with their distance, the what-if's levels, and the maintenance ÷
// equity history of every pool during the live feed. Prices become JS
// numbers here only to place lines: the labels are the engine's strings.
import { format, formatDistance, maintenancePercent, poolsOf, positionsOf } from './risk.js';

let options = null; // {list, ratioBox, fitLevels: () => boolean, marketFeed: (market) => feed}
/** Where the charts go and what they read from the page. */
export function setupCharts(o) {
  options = o;
}

function textCell(tag, text, cls) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (cls) el.className = cls;
  return el;
}

let charting = null; // the module, once loaded
const charts = new Map(); // feed -> {chart, series, lines, levels, last, box}
const timeOf = (asOfMs) => Math.round(Number(asOfMs) / 200); // one chart "second" per 200 ms tick
const timeLabel = (t) => new Date(t * 200).toISOString().slice(11, 21);
// axis labels only (the levels' own values are the engine's strings, in the lists and tooltips)
const axisFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const axisPrice = (v) => axisFormat.format(v); // one formatter: the charts call this for every label of every frame

export function resetCharts() {
  for (const c of charts.values()) c.chart.remove();
  charts.clear();
  options.list.replaceChildren();
  ratioChart?.chart.remove();
  ratioChart = null;
  options.ratioBox.replaceChildren();
  options.ratioBox.hidden = true;
  delete options.ratioBox.dataset.points;
}

// The maintenance ÷ equity history of every pool during the live feed.
let ratioChart = null;
const POOL_COLORS = ['#1f6feb', '#8250df', '#bf3989', '#0a7c7c', '#9a6700'];
function renderRatioHistory(result, marginCallPercent) {
  const { LineSeries, LineStyle, createChart } = charting;
  const box = options.ratioBox;
  if (!ratioChart) {
    box.hidden = false;
    const title = textCell('h3', 'Maintenance ÷ equity during the live feed (%; liquidation at 100 %)');
    const el = document.createElement('div');
    el.className = 'chart';
    el.setAttribute('role', 'img');
    el.setAttribute('aria-label', 'maintenance margin as a share of equity, per pool, over the live ticks');
    box.append(title, el);
    const chart = createChart(el, {
      autoSize: true,
      layout: { attributionLogo: false },
      localization: { timeFormatter: timeLabel, priceFormatter: (v) => `${v.toFixed(2)} %` },
      timeScale: { tickMarkFormatter: timeLabel, secondsVisible: true },
    });
    ratioChart = { chart, series: new Map(), last: -1, box };
  }
  const t = timeOf(result.verification.snapshot.as_of);
  if (t <= ratioChart.last) return;
  ratioChart.last = t;
  for (const { id, label, pool } of poolsOf(result.report)) {
    let series = ratioChart.series.get(id);
    if (!series) {
      series = ratioChart.chart.addSeries(LineSeries, { color: POOL_COLORS[ratioChart.series.size % POOL_COLORS.length], lineWidth: 2, title: label });
      if (ratioChart.series.size === 0) {
        series.createPriceLine({ price: 100, color: '#cf222e', lineStyle: LineStyle.Dashed, title: 'liquidation' });
        series.createPriceLine({ price: Number(marginCallPercent), color: '#9a6700', lineStyle: LineStyle.Dotted, title: 'margin call' });
      }
      ratioChart.series.set(id, series);
    }
    const m = maintenancePercent(pool);
    if (m !== null) series.update({ time: t, value: m === '∞' ? 1000 : Number(m) }); // display only
  }
  box.dataset.points = String(Number(box.dataset.points ?? 0) + 1);
}

function chartFor(feed) {
  if (charts.has(feed)) return charts.get(feed);
  const { LineSeries, createChart } = charting;
  const box = document.createElement('div');
  box.className = 'chart-box';
  box.dataset.feed = feed;
  const title = textCell('h3', feed);
  const top = document.createElement('ul');
  top.className = 'edge edge-top';
  top.setAttribute('aria-label', `${feed}: levels above the chart`);
  const el = document.createElement('div');
  el.className = 'chart';
  el.id = `chart-${feed}`;
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', `${feed} mark price with liquidation and bankruptcy levels`);
  const bottom = document.createElement('ul');
  bottom.className = 'edge edge-bottom';
  bottom.setAttribute('aria-label', `${feed}: levels below the chart`);
  box.append(title, top, el, bottom);
  options.list.append(box);
  const chart = createChart(el, {
    autoSize: true,
    layout: { attributionLogo: false },
    localization: { timeFormatter: timeLabel, priceFormatter: axisPrice },
    timeScale: { tickMarkFormatter: timeLabel, secondsVisible: true },
  });
  const entry = { chart, series: null, lines: [], levels: [], last: -1, points: 0, box, el, top, bottom };
  // With "show every level", the price scale also spans the levels.
  const autoscaleInfoProvider = (original) => {
    const info = original();
    if (!info || !options.fitLevels() || entry.levels.length === 0) return info;
    const prices = entry.levels.map((l) => Number(l.price)); // display only
    const { minValue, maxValue } = info.priceRange;
    const lo = Math.min(minValue, ...prices);
    const hi = Math.max(maxValue, ...prices);
    const pad = (hi - lo) * 0.04;
    return { ...info, priceRange: { minValue: lo - pad, maxValue: hi + pad } };
  };
  entry.series = chart.addSeries(LineSeries, { color: '#1f6feb', lineWidth: 2, title: 'mark', autoscaleInfoProvider });
  charts.set(feed, entry);
  return entry;
}

// Levels beyond the visible price range are listed at the edge they lie beyond.
function placeEdgeMarkers(c) {
  const height = c.chart.paneSize?.().height ?? c.el.clientHeight - 30;
  const hi = c.series.coordinateToPrice(0);
  const lo = c.series.coordinateToPrice(height);
  const above = [];
  const below = [];
  for (const l of c.levels) {
    const y = c.series.priceToCoordinate(Number(l.price));
    const off = hi === null || lo === null || y === null || y < 0 || y > height;
    l.onScale = !off;
    if (!off) continue;
    (Number(l.price) > (hi ?? 0) ? above : below).push(l);
  }
  const item = (l, arrow) => {
    const li = textCell('li', `${arrow} ${l.label} ${format.price(l.price)} (${l.distance === null ? '' : formatDistance(l.distance)})`, `edge-${l.kind}`);
    li.title = `exact: ${l.price}`;
    li.dataset.level = `${l.market}:${l.kind}`;
    return li;
  };
  c.top.replaceChildren(...above.map((l) => item(l, '▲')));
  c.bottom.replaceChildren(...below.map((l) => item(l, '▼')));
  c.box.dataset.offScale = String(above.length + below.length);
}

let markersQueued = false;
// After the charts have drawn (two frames), and once more a little later: a
// price scale that animates or rescales late still gets its markers.
let markersLate = 0;
function queueEdgeMarkers() {
  clearTimeout(markersLate);
  markersLate = setTimeout(() => {
    for (const c of charts.values()) placeEdgeMarkers(c);
  }, 250);
  if (markersQueued) return;
  markersQueued = true;
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      markersQueued = false;
      for (const c of charts.values()) placeEdgeMarkers(c);
    }),
  );
}

/**
 * Draws a result: the mark per feed, every position's liquidation and
 * bankruptcy level, the what-if's levels (feed -> [{market, kind, price,
 * distance, label}]) and, with `live`, the maintenance ÷ equity history.
 */
export function renderCharts(result, { whatIf = new Map(), live = false, marginCallPercent = '80' } = {}) {
  if (!charting) return;
  const { LineStyle } = charting;
  const t = timeOf(result.verification.snapshot.as_of);
  const rows = positionsOf(result.report);
  for (const [feed, f] of Object.entries(result.verification.feeds)) {
    const c = chartFor(feed);
    if (t > c.last) {
      c.series.update({ time: t, value: Number(f.mark) }); // display only: the numbers shown are the strings
      c.last = t;
      c.points += 1;
      c.box.dataset.points = String(c.points);
    }
    for (const line of c.lines) c.series.removePriceLine(line);
    c.lines = [];
    c.levels = [];
    for (const row of rows) {
      if (options.marketFeed(row.market) !== feed) continue;
      const { market, p } = row;
      for (const [kind, price, distance, color, lineStyle] of [
        ['liquidation', p.liquidation_price, row.liquidationDistance, '#cf222e', LineStyle.Dashed],
        ['bankruptcy', p.bankruptcy_price, row.bankruptcyDistance, '#6e4c00', LineStyle.Dotted],
      ]) {
        if (price === null) continue;
        const label = `${market} ${row.side} ${kind === 'liquidation' ? 'liq' : 'bkr'}`;
        c.levels.push({ market, kind, price, distance, label });
        c.lines.push(c.series.createPriceLine({ price: Number(price), color, lineStyle, title: label }));
      }
    }
    for (const l of whatIf.get(feed) ?? []) {
      c.levels.push(l);
      c.lines.push(c.series.createPriceLine({ price: Number(l.price), color: '#0550ae', lineStyle: LineStyle.LargeDashed, title: l.label }));
    }
  }
  if (live) renderRatioHistory(result, marginCallPercent);
  queueEdgeMarkers();
}

/** Loads lightweight-charts (after the first verified render: it is not needed for it). */
export async function loadCharts() {
  charting = await import('lightweight-charts');
}

/** The price scales fit again (after "show every level" changes). */
export function refitCharts() {
  for (const c of charts.values()) c.chart.priceScale('right').applyOptions({ autoScale: true });
}
