// The wallet panel's settings: the endpoint, the accounts, the alert
// threshold, the refresh period and (optionally) the trust store. Saving
// stores them, asks for access to an https endpoint, reschedules the
// background refresh and runs one now.
import { getConfig } from './wallet.js';

const $ = (id) => document.getElementById(id);
const status = (text, ok) => {
  $('options-status').dataset.state = ok ? 'ok' : 'error';
  $('options-status').textContent = `${ok ? '✓' : '✗'} ${text}`;
};

const config = await getConfig();
$('endpoint').value = config.endpoint;
$('accounts-input').value = config.accounts.join(', ');
$('threshold').value = config.threshold;
$('period').value = String(config.periodMinutes);
$('trust').value = config.trust;

$('settings').addEventListener('submit', async (event) => {
  event.preventDefault();
  const endpoint = $('endpoint').value.trim();
  const accounts = $('accounts-input').value.split(/[\s,]+/).filter(Boolean);
  const threshold = $('threshold').value.trim();
  const periodMinutes = Number($('period').value);
  const trust = $('trust').value.trim();
  if (!/^\d+(\.\d+)?$/.test(threshold)) return status('The threshold must be a decimal number of percent, e.g. 10 or 7.5.', false);
  if (!(periodMinutes >= 0.5)) return status('The refresh period must be at least 0.5 minutes.', false);
  if (endpoint && accounts.length === 0) return status('Name at least one account for the endpoint.', false);
  if (trust) {
    try {
      JSON.parse(trust);
    } catch (e) {
      return status(`The trust store is not JSON: ${e.message}`, false);
    }
  }
  if (endpoint) {
    let url;
    try {
      url = new URL(endpoint);
    } catch {
      return status('The endpoint is not a URL.', false);
    }
    if (url.protocol === 'https:') {
      const granted = await chrome.permissions.request({ origins: [`${url.origin}/*`] });
      if (!granted) return status(`Access to ${url.origin} was not granted.`, false);
    } else if (!['127.0.0.1', 'localhost'].includes(url.hostname)) {
      return status('Use an https endpoint (plain http only on this computer).', false);
    }
  }
  await chrome.storage.local.set({ config: { endpoint, accounts, threshold, periodMinutes, trust } });
  status('Saved; refreshing…', true);
  const reply = await chrome.runtime.sendMessage({ op: 'refresh', reschedule: true });
  if (reply?.ok) status(`Saved. ${reply.count} account(s) checked; next refresh in ${periodMinutes} min.`, true);
  else status(`Saved, but the refresh failed: ${reply?.error ?? 'no reply'}`, false);
});
document.body.dataset.done = 'true';
