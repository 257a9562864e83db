// Runs prepared conformance inputs through the npm package's API (plain
// objects in, objects out, VMarginError for rejections) and prints one line
// per input, "<name>\t<canonical output>", for cross_target.py to compare
// byte for byte with every other runner.
//   node run_vectors_package.mjs <package dir> <inputs dir> <list file>
// Inputs are passed as objects when JSON.parse keeps them exactly (else, e.g.
// for integers beyond 2^53 or malformed text, as their JSON text). The
// package's integers are bigints, written back as their digits; its state is
// an opaque token: a vector's state goes in through importState and the
// result's comes out through exportState, so the state's bytes are compared
// too.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { RawJson, canonical, inputOf } from '../support/canonical_json.mjs';

const [packageDir, inputsDir, listFile] = process.argv.slice(2);
const { init, VMarginError } = await import(pathToFileURL(join(resolve(packageDir), 'node.mjs')).href);
const vm = await init();

const lines = [];
for (const line of readFileSync(listFile, 'utf8').split('\n').filter(Boolean)) {
  const [name, operation] = line.split('\t');
  const file = join(inputsDir, name);
  let output;
  try {
    if (operation === 'verify_evaluate') {
      const part = (p) => (existsSync(`${file}.${p}`) ? readFileSync(`${file}.${p}`, 'utf8') : undefined);
      output = vm.verifyEvaluate({
        trust: inputOf(part('trust')),
        state: part('state') === undefined ? undefined : vm.importState(part('state')),
        params: part('params'),
        snapshot: part('snapshot'),
        statement: part('statement'),
      });
      output = { ...output, state: new RawJson(vm.exportState(output.state)) };
    } else {
      const input = inputOf(readFileSync(file, 'utf8'));
      output = operation === 'largest_order' ? vm.largestOrder(input) : vm.evaluate(input);
    }
  } catch (e) {
    if (!(e instanceof VMarginError)) throw e;
    output = { error: { code: e.code, path: e.path, message: e.detail } };
  }
  lines.push(`${name}\t${canonical(output)}`);
}
process.stdout.write(lines.join('\n') + '\n');
