// The wallet panel's popup: the accounts' verified summaries as the
// background refresh stored them (wallet.js), refreshed on demand. Without a
// configured endpoint it verifies the bundled signed example. The extension's
// CSP allows only its own scripts and WebAssembly compilation
// ('wasm-unsafe-eval'): no eval anywhere.
import { STATUS_ICON, STATUS_TEXT, format, formatDistance, formatTime } from './risk.js';
import { getConfig, refresh } from './wallet.js';

const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
};

function accountItem(r) {
  const li = el('li');
  li.dataset.account = r.account;
  if (!r.ok) {
    li.dataset.status = 'error';
    const head = el('div', undefined, 'account-head');
    const pill = el('span', '✗ not verified', 'pill');
    pill.dataset.status = 'error';
    head.append(el('span', r.account), pill);
    li.append(head, el('p', r.error, 'line error'));
    return li;
  }
  li.dataset.status = r.status;
  li.dataset.alert = String(r.alert);
  const head = el('div', undefined, 'account-head');
  const pill = el('span', `${STATUS_ICON[r.status]} ${STATUS_TEXT[r.status]}`, 'pill status');
  pill.dataset.status = r.status;
  head.append(el('span', r.account), pill);
  const m = r.maintenancePercent;
  const ratio = el('p', `Margin ratio ${format.times(r.marginRatio)}${m === null ? '' : ` · maintenance ${m === '∞' ? '∞' : `${m} %`} of equity`}`, 'line ratio');
  ratio.title = `exact margin ratio: ${r.marginRatio ?? 'none'}`;
  li.append(head, ratio);
  const pools = r.pools.filter((p) => p.id !== 'cross');
  if (pools.length) li.append(el('p', `Isolated: ${pools.map((p) => `${p.id} ${STATUS_TEXT[p.status].toLowerCase()}`).join(', ')}`, 'line small'));
  const n = r.nearest;
  const nearest = el('p', n ? `Nearest liquidation: ${n.market} ${n.side} at ${format.price(n.liquidation)}, ${formatDistance(n.distance)} from ${format.price(n.mark)}` : 'No liquidation price', 'line nearest');
  nearest.dataset.near = String(r.near);
  if (n) nearest.title = `exact: liquidation ${n.liquidation}, mark ${n.mark}, distance ${n.distance} %`;
  const v = r.verification;
  const verified = el('p', `✓ Verified: snapshot ${v.snapshot} by ${v.snapshotBy}, ${formatTime(v.asOf)} · parameters v${v.params} by ${v.paramsBy} · statement by ${v.statementBy}`, 'line small verified');
  li.append(nearest, verified);
  return li;
}

async function show() {
  const config = await getConfig();
  let { results, checkedAt } = await chrome.storage.local.get(['results', 'checkedAt']);
  if (!results) {
    results = await refresh(); // first open: verify now
    checkedAt = Date.now();
  }
  $('source').textContent = config.endpoint
    ? `From ${config.endpoint} · alert within ${config.threshold} % of liquidation · refresh every ${config.periodMinutes} min`
    : 'The bundled signed example: choose your endpoint and accounts in Settings.';
  $('accounts').replaceChildren(...results.map(accountItem));
  $('checked').textContent = `Checked ${formatTime(checkedAt)}`;
}

$('refresh').addEventListener('click', async () => {
  $('refresh-status').textContent = 'Refreshing…';
  try {
    await refresh();
    await show();
    $('refresh-status').textContent = '✓ Refreshed and verified.';
  } catch (e) {
    $('refresh-status').textContent = `✗ ${e.message}`;
  }
});
$('options').addEventListener('click', () => chrome.runtime.openOptionsPage());

try {
  await show();
} catch (e) {
  $('accounts').replaceChildren(el('li', `✗ ${e.message}`, 'error'));
}
document.body.dataset.done = 'true';
