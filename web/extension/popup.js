// The wallet panel: loads the vmargin package shipped inside the extension,
// verifies the bundled signed example (parameters, snapshot, statement
// against the trust store) and shows the account's status, margin ratio and
// liquidation prices. The extension's CSP allows only its own scripts and
// WebAssembly compilation ('wasm-unsafe-eval'): no eval anywhere.
import { init, VMarginError } from './vmargin/browser.mjs';

let violations = 0;
document.addEventListener('securitypolicyviolation', () => {
  violations += 1;
  document.getElementById('csp-violations').textContent = String(violations);
});

const read = async (name) => (await fetch(`./data/${name}`)).text();
const $ = (id) => document.getElementById(id);

try {
  const vm = await init();
  const result = vm.verifyEvaluate({
    trust: await read('trust.json'),
    params: await read('risk_parameters.signed'),
    snapshot: await read('snapshot.signed'),
    statement: await read('statement.signed'),
  });
  const v = result.verification;
  $('verified').dataset.verified = 'true';
  $('verified').textContent = `✓ Verified: parameters v${v.risk_parameters.version} (${v.risk_parameters.key_id}), snapshot ${v.snapshot.id}, statement ${v.statement.id}`;
  $('account').textContent = result.report.account;
  $('status').textContent = result.report.cross.status;
  $('ratio').textContent = result.report.cross.margin_ratio ?? '–';
  $('liquidation').replaceChildren(
    ...Object.entries(result.report.positions).map(([market, p]) => {
      const li = document.createElement('li');
      li.dataset.market = market;
      li.textContent = `${market}: ${p.liquidation_price ?? 'none'}`;
      return li;
    }),
  );
} catch (e) {
  $('verified').dataset.verified = 'false';
  $('verified').textContent = e instanceof VMarginError ? `✗ Not verified: ${e.message}` : `✗ ${e}`;
}
document.body.dataset.done = 'true';
