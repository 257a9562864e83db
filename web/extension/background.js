// The wallet panel's background: refreshes the chosen accounts on a
// chrome.alarms schedule (set in the options), keeps the badge current and
// notifies when an account nears or crosses liquidation. Listeners are
// registered at the top level, as MV3 service workers require.
import { ALARM, refresh, schedule } from './wallet.js';

chrome.runtime.onInstalled.addListener(() => {
  schedule().then(refresh).catch(() => chrome.action.setBadgeText({ text: '!' }));
});
chrome.runtime.onStartup.addListener(() => {
  schedule().then(refresh).catch(() => chrome.action.setBadgeText({ text: '!' }));
});
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALARM) refresh().catch(() => chrome.action.setBadgeText({ text: '!' }));
});
chrome.runtime.onMessage.addListener((message, _sender, reply) => {
  if (message?.op !== 'refresh') return false;
  (message.reschedule ? schedule() : Promise.resolve())
    .then(refresh)
    .then(
      (results) => reply({ ok: true, count: results.length }),
      (e) => reply({ ok: false, error: String(e?.message ?? e) }),
    );
  return true; // the reply is asynchronous
});
chrome.notifications.onClicked.addListener((id) => {
  chrome.notifications.clear(id);
  chrome.action.openPopup?.().catch(() => {});
});
