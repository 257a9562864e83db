// Risk read-outs shared by the page and the wallet panel (the extension
// copies this file): exact decimal helpers on the engine's decimal strings,
// display formatting, the worst status over every pool, the distance from
// the mark to each liquidation price. No JS Number ever holds a figure: the
// strings are read into BigInt, divided exactly and rounded half away from
// zero to the places shown; the exact engine string stays available (title
// attributes, the "exact digits" switch).

// --- exact decimals ------------------------------------------------------------

/** "-123.45" -> {n: -12345n, scale: 2} */
export function parseDecimal(s) {
  const text = String(s);
  const neg = text.startsWith('-');
  const [i, f = ''] = (neg ? text.slice(1) : text).split('.');
  const n = BigInt(`${i || '0'}${f}`);
  return { n: neg ? -n : n, scale: f.length };
}

/** The rational num/den rounded half away from zero to `places` decimals, as a string. */
export function quotient(num, den, places) {
  if (den === 0n) throw new RangeError('division by zero');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const neg = num < 0n;
  const scaled = (neg ? -num : num) * 10n ** BigInt(places);
  let q = scaled / den;
  if (2n * (scaled % den) >= den) q += 1n;
  const digits = q.toString().padStart(places + 1, '0');
  const body = places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
  return neg && q !== 0n ? `-${body}` : body;
}

/** (a / b) * factor, rounded to `places` decimals; null when b is zero. */
export function ratio(a, b, places, factor = 1n) {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (y.n === 0n) return null;
  return quotient(x.n * factor * 10n ** BigInt(y.scale), y.n * 10n ** BigInt(x.scale), places);
}

/** The decimal string rounded to `places` decimals. */
export const round = (s, places) => ratio(s, '1', places);

/** Sign of a - b for two decimal strings: -1, 0 or 1. */
export function compare(a, b) {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const l = x.n * 10n ** BigInt(y.scale);
  const r = y.n * 10n ** BigInt(x.scale);
  return l < r ? -1 : l > r ? 1 : 0;
}

const isNegative = (s) => String(s).startsWith('-');
export const absolute = (s) => (isNegative(s) ? String(s).slice(1) : String(s));

// --- formatting ------------------------------------------------------------------

/** Thousands separators on a decimal string: "-1234567.5" -> "-1,234,567.5". */
export function group(s) {
  const text = String(s);
  const sign = isNegative(text) ? '−' : '';
  const [i, f] = absolute(text).split('.');
  const grouped = i.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${f !== undefined ? `.${f}` : ''}`;
}

/** Places for a price: 2 from 100 up, 4 from 1 up, 8 below. */
function pricePlaces(s) {
  const a = absolute(s);
  if (compare(a, '100') >= 0) return 2;
  if (compare(a, '1') >= 0) return 4;
  return 8;
}
const trimZeros = (s, keep) => {
  if (!s.includes('.')) return s;
  let [i, f] = s.split('.');
  while (f.length > keep && f.endsWith('0')) f = f.slice(0, -1);
  return f.length ? `${i}.${f}` : i;
};

/** Display strings of engine decimals (null -> "–"). */
export const format = {
  /** An amount in the valuation currency: 2 decimals, grouped. */
  amount: (s) => (s == null ? '–' : group(round(s, 2))),
  /** A price: places by magnitude, trailing zeros trimmed to 2 at least. */
  price: (s) => (s == null ? '–' : group(trimZeros(round(s, pricePlaces(s)), 2))),
  /** A quantity: at most 8 decimals, trailing zeros trimmed. */
  quantity: (s) => (s == null ? '–' : group(trimZeros(round(s, 8), 0))),
  /** A ratio such as 15.0677...: 2 decimals and "×". */
  times: (s) => (s == null ? '–' : `${group(round(s, 2))}×`),
  /** A weight or rate such as 0.89. */
  rate: (s) => (s == null ? '–' : trimZeros(round(s, 6), 2)),
};

/** A time in ms since the epoch (bigint, number or string) as "2026-11-24 12:00:00 UTC". */
export function formatTime(ms) {
  if (ms == null) return '–';
  const d = new Date(Number(ms)); // a timestamp, not a result: exact in a double up to 2^53 ms
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, iso.endsWith('.000Z') ? 19 : 23)} UTC`;
}

// --- risk -------------------------------------------------------------------------

export const STATUS_RANK = { healthy: 0, margin_call: 1, liquidatable: 2, bankrupt: 3 };
export const STATUS_TEXT = { healthy: 'Healthy', margin_call: 'Margin call', liquidatable: 'Liquidatable', bankrupt: 'Bankrupt' };
export const STATUS_ICON = { healthy: '✓', margin_call: '!', liquidatable: '✗', bankrupt: '☠' };

/** Every pool of a report: [{id, label, kind, pool}], the cross pool first. */
export function poolsOf(report) {
  return [
    { id: 'cross', label: 'Cross margin', kind: 'cross', pool: report.cross },
    ...Object.entries(report.isolated ?? {}).map(([id, pool]) => ({ id, label: `${id} (isolated)`, kind: 'isolated', pool })),
  ];
}

/** The worst pool: {status, pools: [ids at that status]}. */
export function worstStatus(report) {
  let worst = 'healthy';
  for (const { pool } of poolsOf(report)) if (STATUS_RANK[pool.status] > STATUS_RANK[worst]) worst = pool.status;
  return { status: worst, pools: poolsOf(report).filter((p) => p.pool.status === worst).map((p) => p.id) };
}

/**
 * The distance from the mark to a level, in % of the mark, signed (negative:
 * the price must fall), rounded to 2 decimals; null without a level.
 */
export function distancePercent(mark, level, places = 2) {
  if (level == null || mark == null) return null;
  const diff = parseDecimal(level);
  const m = parseDecimal(mark);
  // (level - mark) / mark * 100, exactly
  const scale = Math.max(diff.scale, m.scale);
  const l = diff.n * 10n ** BigInt(scale - diff.scale);
  const k = m.n * 10n ** BigInt(scale - m.scale);
  if (k === 0n) return null;
  return quotient((l - k) * 100n, k, places);
}

/** "−26.90 % (down)" style text of a signed distance. */
export function formatDistance(d) {
  if (d == null) return 'none';
  if (compare(d, '0') === 0) return '0.00 % (at the mark)';
  return `${absolute(d)} % ${isNegative(d) ? '↓' : '↑'}`;
}

/** Positions with side, distance to liquidation and bankruptcy, nearest first by |distance|. */
export function positionsOf(report) {
  return Object.entries(report.positions ?? {}).map(([market, p]) => ({
    market,
    p,
    side: isNegative(p.quantity) ? 'short' : compare(p.quantity, '0') === 0 ? 'flat' : 'long',
    size: absolute(p.quantity),
    liquidationDistance: distancePercent(p.mark_price, p.liquidation_price),
    bankruptcyDistance: distancePercent(p.mark_price, p.bankruptcy_price),
  }));
}

/** The position whose liquidation price is nearest the mark (in %), or null. */
export function nearestLiquidation(report) {
  let best = null;
  for (const row of positionsOf(report)) {
    if (row.liquidationDistance == null) continue;
    if (best === null || compare(absolute(row.liquidationDistance), absolute(best.liquidationDistance)) < 0) best = row;
  }
  return best;
}

/**
 * The exchange-style margin ratio: maintenance margin / equity in %, 100 %
 * meaning liquidation. null without a requirement; "∞" with equity <= 0.
 */
export function maintenancePercent(pool) {
  if (compare(pool.maintenance_margin, '0') === 0) return null;
  if (compare(pool.equity, '0') <= 0) return '∞';
  return ratio(pool.maintenance_margin, pool.equity, 2, 100n);
}

/** A one-line risk summary of a report (the page's header, the panel's badge). */
export function summary(report, thresholdPercent = '10') {
  const worst = worstStatus(report);
  const nearest = nearestLiquidation(report);
  const near = nearest !== null && compare(absolute(nearest.liquidationDistance), thresholdPercent) <= 0;
  return { ...worst, nearest, near, alert: worst.status !== 'healthy' || near };
}
