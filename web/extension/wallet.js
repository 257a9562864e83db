// The wallet panel's work, shared by the background service worker (the
// chrome.alarms refresh) and the popup: fetch each chosen account's signed
// statement with the exchange's signed parameters and snapshot from the
// configured endpoint, verify and evaluate them with the vmargin engine (the
// same verifyEvaluate as the page, against the pinned trust store), store a
// summary, set the badge and notify when an account nears or crosses
// liquidation.
//
// Endpoint layout (static files, e.g. served by the exchange):
//   <endpoint>/risk_parameters.signed
//   <endpoint>/snapshot.signed
//   <endpoint>/statements/<account>.signed
// The trust store is never fetched from the endpoint: it is the one bundled
// with the extension (data/trust.json) or the one pasted in the options.
import { init } from './vmargin/browser.mjs';
import { STATUS_RANK, STATUS_TEXT, absolute, compare, maintenancePercent, poolsOf, round, summary } from './risk.js';

export const DEFAULTS = { endpoint: '', accounts: [], threshold: '10', periodMinutes: 5, trust: '' };
export const ALARM = 'refresh';

export async function getConfig() {
  const { config } = await chrome.storage.local.get('config');
  return { ...DEFAULTS, ...config };
}

/** (Re)creates the periodic refresh alarm from the configuration. */
export async function schedule() {
  const config = await getConfig();
  await chrome.alarms.clear(ALARM);
  const period = Math.max(0.5, Number(config.periodMinutes) || DEFAULTS.periodMinutes);
  await chrome.alarms.create(ALARM, { delayInMinutes: period, periodInMinutes: period });
}

async function text(url) {
  const r = await fetch(url, { cache: 'no-store' });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.text();
}
const bundled = (name) => text(chrome.runtime.getURL(`data/${name}`));
const describe = (e) => (e && e.code ? `[vmargin.${e.code}] ${e.path ? `${e.path}: ` : ''}${e.detail ?? e.message}` : String(e?.message ?? e));

/** One account's verified summary (plain JSON: it is stored). */
export function assess(vm, docs, threshold) {
  const result = vm.verifyEvaluate(docs);
  const r = result.report;
  const v = result.verification;
  const s = summary(r, threshold);
  const n = s.nearest;
  return {
    account: r.account,
    ok: true,
    status: s.status,
    alert: s.alert,
    near: s.near,
    nearest: n && { market: n.market, side: n.side, distance: n.liquidationDistance, liquidation: n.p.liquidation_price, mark: n.p.mark_price },
    marginRatio: r.cross.margin_ratio,
    maintenancePercent: maintenancePercent(r.cross),
    pools: poolsOf(r).map(({ id, label, pool }) => ({ id, label, status: pool.status, marginRatio: pool.margin_ratio })),
    verification: {
      snapshot: v.snapshot.id,
      snapshotBy: v.snapshot.key_id,
      asOf: String(v.snapshot.as_of),
      params: String(v.risk_parameters.version),
      paramsBy: v.risk_parameters.key_id,
      statement: v.statement.id,
      statementBy: v.statement.key_id,
    },
  };
}

/** Verifies every chosen account (or the bundled example without an endpoint), stores the results, badge, notifications. */
export async function refresh() {
  const config = await getConfig();
  const vm = await init();
  const results = [];
  let source = 'example';
  if (!config.endpoint) {
    const [trust, params, snapshot, statement] = await Promise.all(
      ['trust.json', 'risk_parameters.signed', 'snapshot.signed', 'statement.signed'].map(bundled),
    );
    try {
      results.push(assess(vm, { trust, params, snapshot, statement }, config.threshold));
    } catch (e) {
      results.push({ account: 'example', ok: false, error: describe(e) });
    }
  } else {
    source = config.endpoint;
    const base = config.endpoint.replace(/\/+$/, '');
    let shared = null;
    let sharedError = null;
    try {
      const [trust, params, snapshot] = await Promise.all([
        config.trust ? Promise.resolve(config.trust) : bundled('trust.json'),
        text(`${base}/risk_parameters.signed`),
        text(`${base}/snapshot.signed`),
      ]);
      shared = { trust, params, snapshot };
    } catch (e) {
      sharedError = describe(e);
    }
    for (const account of config.accounts) {
      if (sharedError) {
        results.push({ account, ok: false, error: sharedError });
        continue;
      }
      try {
        const statement = await text(`${base}/statements/${encodeURIComponent(account)}.signed`);
        const a = assess(vm, { ...shared, statement }, config.threshold);
        if (a.account !== account) throw new Error(`the statement is for account “${a.account}”, not “${account}”`);
        results.push(a);
      } catch (e) {
        results.push({ account, ok: false, error: describe(e) });
      }
    }
  }
  const checkedAt = Date.now();
  await chrome.storage.local.set({ results, checkedAt, source });
  await setBadge(results);
  await notify(results, config);
  return results;
}

/** The badge: the worst account; a liquidation distance within the threshold in %. */
export async function setBadge(results) {
  let text = 'OK';
  let color = '#1a7f37';
  const failed = results.some((r) => !r.ok);
  const worst = results.filter((r) => r.ok).reduce((w, r) => (STATUS_RANK[r.status] > STATUS_RANK[w] ? r.status : w), 'healthy');
  const near = results.filter((r) => r.ok && r.near && r.nearest);
  if (worst === 'liquidatable' || worst === 'bankrupt') [text, color] = ['LIQ', '#cf222e'];
  else if (worst === 'margin_call') [text, color] = ['MC', '#9a6700'];
  else if (near.length) {
    const d = near.map((r) => absolute(r.nearest.distance)).sort(compare)[0];
    [text, color] = [`${round(d, 0)}%`, '#9a6700'];
  } else if (failed) [text, color] = ['!', '#57606a'];
  if (results.length === 0) [text, color] = ['', '#57606a'];
  await chrome.action.setBadgeText({ text });
  await chrome.action.setBadgeBackgroundColor({ color });
  await chrome.action.setTitle({ title: `vmargin: ${text === 'OK' ? 'every account healthy' : text === '' ? 'no account' : text}` });
}

// One notification per account when it enters a worse alert level (near -> margin call -> ...).
const LEVEL = { none: 0, near: 1, margin_call: 2, liquidatable: 3, bankrupt: 4 };
async function notify(results, config) {
  const { alerted = {} } = await chrome.storage.local.get('alerted');
  const next = {};
  for (const r of results) {
    if (!r.ok) continue;
    const level = r.status !== 'healthy' ? r.status : r.near ? 'near' : 'none';
    next[r.account] = level;
    if (LEVEL[level] === 0 || LEVEL[level] <= LEVEL[alerted[r.account] ?? 'none']) continue;
    const n = r.nearest;
    const where = n ? `${n.market} ${n.side}: liquidation at ${n.liquidation}, ${absolute(n.distance)} % from the mark ${n.mark}` : '';
    const title = level === 'near' ? `${r.account} is within ${config.threshold} % of liquidation` : `${r.account}: ${STATUS_TEXT[level].toLowerCase()}`;
    await chrome.notifications.create(`vmargin-${r.account}`, {
      type: 'basic',
      iconUrl: chrome.runtime.getURL('icons/icon128.png'),
      title,
      message: where || 'Open the vmargin panel for details.',
      priority: 2,
    });
  }
  await chrome.storage.local.set({ alerted: next });
}
