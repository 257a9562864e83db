// Runs conformance inputs through the npm package in the browser's main
// thread, for tests/web/web_test.mjs: window.runVectors(cases) returns one
// canonical output per case, to compare byte for byte with the native runs.
// A case is {name, operation, input} (evaluate, largest_order: an object or
// the exact text) or {name, operation: "verify_evaluate", input: {trust,
// state?, params, snapshot, statement}} (the state as the CLI's JSON text: it
// goes in through importState, and the result's token comes out through
// exportState, so its bytes are compared too).
import { init, VMarginError } from 'vmargin';

import { RawJson, canonical } from '../../tests/support/canonical_json.mjs';

const vm = await init();
window.runVectors = (cases) =>
  cases.map(({ name, operation, input }) => {
    let output;
    try {
      if (operation === 'verify_evaluate') {
        const state = input.state === undefined ? undefined : vm.importState(input.state);
        output = vm.verifyEvaluate({ ...input, state });
        output = { ...output, state: new RawJson(vm.exportState(output.state)) };
      } else if (operation === 'largest_order') output = vm.largestOrder(input);
      else output = vm.evaluate(input);
    } catch (e) {
      if (!(e instanceof VMarginError)) throw e;
      output = { error: { code: e.code, path: e.path, message: e.detail } };
    }
    return [name, canonical(output)];
  });
document.getElementById('state').textContent = `ready: vmargin ${vm.version}`;
document.body.dataset.ready = 'true';
