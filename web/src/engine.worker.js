// The engine in a Web Worker: the page never blocks on verification or
// evaluation. Requests {id, op, args}; replies {id, value} or {id, error}.
import { init, VMarginError } from 'vmargin';

const ready = init();
let session = null;

const ops = {
  async version() {
    return (await ready).version;
  },
  async verifyEvaluate(docs) {
    return (await ready).verifyEvaluate(docs);
  },
  async openSession(docs) {
    const vm = await ready;
    session?.close();
    session = null;
    session = vm.openSession(docs);
    return session.description;
  },
  async tick(snapshot) {
    await ready;
    if (session === null) throw new VMarginError('invalid_value', '', 'no session is open');
    const started = performance.now();
    const result = session.tick(snapshot);
    return { result, engineMs: performance.now() - started };
  },
  async evaluate(input) {
    return (await ready).evaluate(input);
  },
  async largestOrder(input) {
    return (await ready).largestOrder(input);
  },
  async verify({ result, published }) {
    return (await ready).verify(result, published);
  },
};

self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    const value = await ops[op](args);
    self.postMessage({ id, value });
  } catch (e) {
    const error =
      e instanceof VMarginError
        ? { code: e.code, path: e.path, message: e.detail }
        : { code: 'internal', path: '', message: String(e && e.message ? e.message : e) };
    self.postMessage({ id, error });
  }
};
