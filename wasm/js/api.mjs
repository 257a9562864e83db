// The vmargin JS API, shared by the browser and Node entry points: plain
// objects in and out, decimals as strings, errors as VMarginError. The wasm
// module (a factory from Emscripten) is created once by init().

/** An input the engine rejected, or a failure to load it. */
export class VMarginError extends Error {
  /**
   * @param {string} code stable error code (docs/errors.md), e.g. "bad_decimal"
   * @param {string} path JSON pointer of the offending value ("" when none)
   * @param {string} message what was wrong
   */
  constructor(code, path, message) {
    super(path ? `[vmargin.${code}] ${path}: ${message}` : `[vmargin.${code}] ${message}`);
    this.name = 'VMarginError';
    this.code = code;
    this.path = path;
    this.detail = message;
  }
}

const text = (value) => (typeof value === 'string' ? value : JSON.stringify(value));

// Every binding returns canonical JSON: the result, or {"error": {...}}.
function parsed(output) {
  const value = JSON.parse(output);
  if (value !== null && typeof value === 'object' && 'error' in value && Object.keys(value).length === 1) {
    const e = value.error;
    throw new VMarginError(e.code, e.path, e.message);
  }
  return value;
}

function inputsOf(result, inputs) {
  if (inputs) return inputs;
  if (result && result.verification) {
    const v = result.verification;
    return {
      risk_parameters_version: v.risk_parameters.version,
      as_of: v.snapshot.as_of,
      snapshot_id: v.snapshot.id,
    };
  }
  throw new VMarginError(
    'missing_field',
    '/inputs',
    'verify() needs the inputs ({risk_parameters_version, as_of}) when given a bare report',
  );
}

// Closes sessions whose owner forgot: only a backstop, close() is the API.
const finalizers =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry(({ module, id }) => module.sessionClose(id))
    : null;

class Session {
  #module;
  #id;
  #token = {};

  constructor(module, id, description) {
    this.#module = module;
    this.#id = id;
    /** What was verified when the session opened. */
    this.description = description;
    finalizers?.register(this, { module, id }, this.#token);
  }

  /** Verifies one signed snapshot and evaluates the account: {report, verification, state}. */
  tick(snapshot) {
    if (this.#id === 0) throw new VMarginError('invalid_value', '', 'the session is closed');
    return parsed(this.#module.sessionTick(this.#id, text(snapshot)));
  }

  /** The acceptance state now (to keep for the next session). */
  get state() {
    if (this.#id === 0) throw new VMarginError('invalid_value', '', 'the session is closed');
    return parsed(this.#module.sessionDescribe(this.#id)).state;
  }

  get closed() {
    return this.#id === 0;
  }

  /** Frees the session's memory in the module. Idempotent. */
  close() {
    if (this.#id === 0) return;
    this.#module.sessionClose(this.#id);
    finalizers?.unregister(this.#token);
    this.#id = 0;
  }

  [Symbol.dispose]() {
    this.close();
  }
}

function makeApi(module) {
  return Object.freeze({
    version: module.version(),
    evaluate: (input) => parsed(module.evaluate(text(input))),
    largestOrder: (input) => parsed(module.largestOrder(text(input))),
    verifyEvaluate: ({ trust, state, params, snapshot, statement }) =>
      parsed(
        module.verifyEvaluate(
          text(trust),
          state === undefined || state === null ? '' : text(state),
          params,
          snapshot,
          statement,
        ),
      ),
    verify: (result, published, inputs) => {
      const recomputed = result && result.report ? result.report : result;
      return parsed(
        module.compareReports(
          JSON.stringify({ recomputed, published, inputs: inputsOf(result, inputs) }),
        ),
      );
    },
    openSession: ({ trust, state, params, statement }) => {
      const opened = parsed(
        module.sessionOpen(
          text(trust),
          state === undefined || state === null ? '' : text(state),
          params,
          statement,
        ),
      );
      return new Session(module, opened.session, opened.description);
    },
    diagnostics: () => ({
      heapBytesInUse: module.heapInUse(),
      memoryBytes: module.heapSize(),
      openSessions: module.sessionCount(),
    }),
  });
}

/**
 * Memoises the module: one instance per entry point, created on first use.
 * A failed load rejects with a VMarginError and is not memoised (retry works).
 * @param {() => Promise<any>} create
 */
export function memoisedInit(create) {
  let pending = null;
  return function init() {
    if (pending === null) {
      pending = create().then(makeApi, (cause) => {
        pending = null;
        const error = new VMarginError(
          'init_failed',
          '',
          `the WebAssembly module could not be loaded: ${cause && cause.message ? cause.message : cause}`,
        );
        error.cause = cause;
        throw error;
      });
    }
    return pending;
  };
}
