// The vmargin JS API, shared by the browser and Node entry points: plain
// objects in and out, amounts as decimal strings, every integer of an output
// as a bigint (lossless beyond 2^53), the acceptance state as an opaque,
// checked token, and every failure a caller can cause as a VMarginError. The
// wasm module (a factory from Emscripten) is created once by init().

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

/** The engine's limit for one document, in UTF-8 bytes (docs/errors.md, input_too_large). */
const MAX_BYTES = 16 * 1024 * 1024;
/** Deeper than any document the engine accepts (32 levels): guards the JS stack. */
const MAX_DEPTH = 64;

const child = (path, key) => `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

function describe(value) {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'symbol':
      return 'a Symbol';
    case 'function':
      return 'a function';
    case 'bigint':
      return `the bigint ${value}`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'string':
      return 'a string';
    default:
      return Array.isArray(value) ? 'an array' : `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  }
}

const wrongType = (path, message) => new VMarginError('wrong_type', path, message);
const tooLarge = (path, bytes) =>
  new VMarginError(
    'input_too_large',
    path,
    bytes === undefined
      ? `the document has more than ${MAX_BYTES} bytes; the limit is ${MAX_BYTES}`
      : `the document has ${bytes} bytes; the limit is ${MAX_BYTES}`,
  );

/** UTF-8 length of a JS string (a lone surrogate counts 3, as the encoder writes it). */
function utf8Length(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c >= 0x800) {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          n += 2; // 2 units, 4 bytes
          i += 1;
          continue;
        }
      }
      n += 2;
    } else if (c >= 0x80) n += 1;
  }
  return n;
}

/** A string handed to the module: at most MAX_BYTES of UTF-8, checked before it is copied. */
function boundedText(s, path) {
  if (s.length > MAX_BYTES) throw tooLarge(path, s.length > MAX_BYTES * 3 ? undefined : utf8Length(s));
  if (s.length * 3 > MAX_BYTES) {
    const bytes = utf8Length(s);
    if (bytes > MAX_BYTES) throw tooLarge(path, bytes);
  }
  return s;
}

/**
 * JSON text of a JS value, or a VMarginError naming the first value JSON
 * cannot carry exactly: undefined (except as an object member, which is
 * left out, as JSON.stringify does), a Symbol, a function, NaN or ±Infinity,
 * an integer number beyond ±(2^53 - 1) (it may have been rounded already:
 * pass a bigint), an object that is not plain (Map, Date, typed array...), a
 * cycle, nesting beyond 64 levels or more than 16 MiB of text. A bigint is
 * written as its exact digits.
 */
function jsonText(value, root) {
  // Usually the value is plain JSON already: check it without building text
  // (paths only on error), then let JSON.stringify write it. Bigints and
  // toJSON methods need the writer below.
  const keys = [];
  const pathOf = () => keys.reduce(child, root);
  const ancestors = new Set();
  let size = 0;
  let own = false;
  const fits = (n) => {
    size += n;
    if (size > MAX_BYTES) throw tooLarge(root);
  };
  const inspect = (v, depth) => {
    switch (typeof v) {
      case 'string':
        fits(v.length + 2);
        return;
      case 'boolean':
        return;
      case 'bigint':
        own = true;
        return;
      case 'number':
        if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) own = true; // the writer says why
        return;
      case 'object': {
        if (v === null) return;
        if (typeof v.toJSON === 'function' || depth >= MAX_DEPTH || ancestors.has(v)) {
          own = true;
          return;
        }
        ancestors.add(v);
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length && !own; i += 1) {
            keys.push(i);
            fits(1);
            inspect(v[i], depth + 1);
            keys.pop();
          }
        } else if (Object.prototype.toString.call(v) !== '[object Object]') {
          own = true;
        } else {
          for (const key of Object.keys(v)) {
            if (own) break;
            const member = v[key];
            if (member === undefined) continue;
            keys.push(key);
            fits(key.length + 4);
            inspect(member, depth + 1);
            keys.pop();
          }
        }
        ancestors.delete(v);
        return;
      }
      default:
        throw wrongType(pathOf(), `found ${describe(v)}, which JSON cannot carry`);
    }
  };
  try {
    inspect(value, 0);
    if (!own) return boundedText(JSON.stringify(value), root);
  } catch (e) {
    if (e instanceof VMarginError) throw e;
    if (e instanceof RangeError) throw tooLarge(root);
    const error = wrongType(pathOf(), `the value could not be read as JSON: ${e && e.message ? e.message : e}`);
    error.cause = e;
    throw error;
  }
  return writeJson(value, root);
}

/** The writer: exact digits for bigints, toJSON honoured, every refusal with its path. */
function writeJson(value, root) {
  const parts = [];
  let length = 0;
  const ancestors = new Set();
  const emit = (s) => {
    length += s.length;
    if (length > MAX_BYTES) throw tooLarge(root);
    parts.push(s);
  };
  const write = (v, at, depth) => {
    switch (typeof v) {
      case 'string':
        emit(JSON.stringify(v));
        return;
      case 'boolean':
        emit(v ? 'true' : 'false');
        return;
      case 'bigint':
        emit(v.toString());
        return;
      case 'number':
        if (!Number.isFinite(v)) throw wrongType(at, `found ${describe(v)}, which JSON cannot carry`);
        if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
          throw wrongType(
            at,
            `found ${describe(v)}, an integer beyond 2^53 - 1 that a JS number cannot hold exactly; pass it as a bigint (or the document as JSON text)`,
          );
        }
        emit(JSON.stringify(v));
        return;
      case 'object': {
        if (v === null) {
          emit('null');
          return;
        }
        if (depth >= MAX_DEPTH) {
          throw new VMarginError('input_too_large', at, `nesting is deeper than the limit of ${MAX_DEPTH}`);
        }
        if (typeof v.toJSON === 'function') {
          // As JSON.stringify does (e.g. a decimal library's objects write their string).
          write(v.toJSON(), at, depth + 1);
          return;
        }
        if (ancestors.has(v)) throw wrongType(at, 'found an object that contains itself (a cycle), which JSON cannot carry');
        ancestors.add(v);
        if (Array.isArray(v)) {
          emit('[');
          for (let i = 0; i < v.length; i += 1) {
            if (i > 0) emit(',');
            write(v[i], child(at, i), depth + 1);
          }
          emit(']');
        } else {
          const tag = Object.prototype.toString.call(v);
          if (tag !== '[object Object]') {
            throw wrongType(at, `expected a plain object, found ${describe(v)}, which JSON cannot carry`);
          }
          emit('{');
          let first = true;
          for (const key of Object.keys(v)) {
            const member = v[key];
            if (member === undefined) continue;
            if (!first) emit(',');
            first = false;
            emit(JSON.stringify(key));
            emit(':');
            write(member, child(at, key), depth + 1);
          }
          emit('}');
        }
        ancestors.delete(v);
        return;
      }
      default:
        throw wrongType(at, `found ${describe(v)}, which JSON cannot carry`);
    }
  };
  try {
    write(value, root, 0);
  } catch (e) {
    if (e instanceof VMarginError) throw e;
    // A getter or a proxy of the caller's threw, or the text outgrew the JS engine.
    const error = wrongType(root, `the value could not be read as JSON: ${e && e.message ? e.message : e}`);
    error.cause = e;
    throw error;
  }
  return boundedText(parts.join(''), root);
}

/** A document argument: a plain object (or array) or its JSON text. */
function documentText(value, path, what) {
  if (typeof value === 'string') return boundedText(value, path);
  if (value === null || typeof value !== 'object') {
    throw wrongType(path, `expected ${what} (an object or its JSON text), found ${describe(value)}`);
  }
  return jsonText(value, path);
}

/** A signed envelope: its exact bytes, as a string or a Uint8Array (never a parsed object). */
function envelopeBytes(value, path) {
  if (typeof value === 'string') return boundedText(value, path);
  if (value instanceof Uint8Array) {
    if (value.byteLength > MAX_BYTES) throw tooLarge(path, value.byteLength);
    return value;
  }
  if (value instanceof ArrayBuffer) return envelopeBytes(new Uint8Array(value), path);
  throw wrongType(
    path,
    `expected the envelope's exact bytes (a string or a Uint8Array), found ${describe(value)}: a parsed envelope has lost its signed bytes`,
  );
}

/** The acceptance state: absent (undefined or null) or a token this package returned. */
function stateToken(value) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    throw wrongType(
      '/state',
      `expected the state token (a string) a previous verification returned, found ${describe(value)}; a state saved by the CLI is read with importState`,
    );
  }
  return boundedText(value, '/state');
}

/**
 * Parses the engine's JSON output losslessly: integers as bigint, strings,
 * booleans, null, arrays and objects (own data properties, "__proto__"
 * included). `spans` lists top-level member paths ("state",
 * "description/state") whose exact source text is returned too.
 */
function parseEngineJson(text, spans = []) {
  let i = 0;
  const found = new Map();
  const keys = [];
  const fail = () => {
    throw new VMarginError('internal_error', '', `the engine's output is not JSON at character ${i + 1}`);
  };
  const ws = () => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(i)) i += 1;
  };
  const string = () => {
    const start = i + 1;
    let end = text.indexOf('"', start);
    if (end < 0) fail();
    let plain = true;
    for (let j = start; j < end; j += 1) {
      if (text.charCodeAt(j) === 0x5c) {
        plain = false;
        break;
      }
    }
    if (plain) {
      i = end + 1;
      return text.slice(start, end);
    }
    // Escapes: find the closing quote that no backslash escapes, let JSON.parse decode.
    let j = start;
    for (;;) {
      const c = text.charCodeAt(j);
      if (Number.isNaN(c)) fail();
      if (c === 0x22) break;
      j += c === 0x5c ? 2 : 1;
    }
    end = j;
    i = end + 1;
    return JSON.parse(text.slice(start - 1, end + 1));
  };
  const number = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  const value = (depth) => {
    ws();
    const c = text.charCodeAt(i);
    if (c === 0x7b) {
      i += 1;
      const object = {};
      ws();
      if (text.charCodeAt(i) === 0x7d) {
        i += 1;
        return object;
      }
      for (;;) {
        ws();
        if (text.charCodeAt(i) !== 0x22) fail();
        const key = string();
        ws();
        if (text.charCodeAt(i) !== 0x3a) fail();
        i += 1;
        ws();
        let member;
        if (depth < 2 && spans.length > 0) {
          const start = i;
          keys.push(key);
          member = value(depth + 1);
          const at = keys.join('/');
          if (spans.includes(at)) found.set(at, text.slice(start, i));
          keys.pop();
        } else {
          member = value(depth + 1);
        }
        if (key === '__proto__') {
          Object.defineProperty(object, key, { value: member, writable: true, enumerable: true, configurable: true });
        } else {
          object[key] = member;
        }
        ws();
        const next = text.charCodeAt(i);
        i += 1;
        if (next === 0x2c) continue;
        if (next === 0x7d) return object;
        i -= 1;
        fail();
      }
    }
    if (c === 0x5b) {
      i += 1;
      const array = [];
      ws();
      if (text.charCodeAt(i) === 0x5d) {
        i += 1;
        return array;
      }
      for (;;) {
        array.push(value(depth + 1));
        ws();
        const next = text.charCodeAt(i);
        i += 1;
        if (next === 0x2c) continue;
        if (next === 0x5d) return array;
        i -= 1;
        fail();
      }
    }
    if (c === 0x22) return string();
    if (c === 0x74 && text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (c === 0x66 && text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (c === 0x6e && text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    number.lastIndex = i;
    const m = number.exec(text);
    if (m === null) fail();
    i = number.lastIndex;
    // The engine writes integers only (amounts are strings); a fraction would be kept as a number.
    return m[1] === undefined && m[2] === undefined ? BigInt(m[0]) : Number(m[0]);
  };
  const result = value(0);
  ws();
  if (i !== text.length) fail();
  return { value: result, spans: found };
}

// Every binding returns canonical JSON: the result, or {"error": {...}}.
function isError(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'error' in value && Object.keys(value).length === 1;
}

function inputsOf(result, inputs) {
  if (inputs !== undefined && inputs !== null) return inputs;
  const v = result.verification;
  if (v !== null && typeof v === 'object' && v.risk_parameters !== null && v.snapshot !== null) {
    return {
      risk_parameters_version: v.risk_parameters?.version,
      as_of: v.snapshot?.as_of,
      snapshot_id: v.snapshot?.id,
    };
  }
  throw new VMarginError(
    'missing_field',
    '/inputs',
    'verify() needs the inputs ({risk_parameters_version, as_of}) when given a bare report',
  );
}

/**
 * The module instance and its replacement: a call that traps (the wasm ran
 * out of memory, or a defect aborted it) leaves the instance unusable, so it
 * is dropped (its memory with it) and a fresh one created; the sessions of
 * the old instance are gone.
 */
class Engine {
  constructor(loader, module, hooks) {
    this.loader = loader;
    this.module = module;
    this.hooks = hooks;
    this.generation = 1;
    this.restarting = null;
  }

  call(fn) {
    if (this.module === null) {
      throw new VMarginError(
        'out_of_memory',
        '',
        'the engine is restarting after a call ran out of memory; try again once it has (init() resolves then)',
      );
    }
    this.hooks.abortReason = null;
    try {
      return fn(this.module);
    } catch (e) {
      if (e instanceof VMarginError) throw e;
      throw this.#replace(e);
    }
  }

  #replace(cause) {
    const reason = String(this.hooks.abortReason ?? (cause && cause.message) ?? cause);
    const oom = /OOM|enlarge memory|out of memory|Invalid string length|Array buffer allocation failed/i.test(reason);
    this.module = null;
    this.generation += 1;
    let restarted = 'a fresh instance replaces it';
    try {
      if (this.loader.createSync) this.module = this.loader.createSync(this.hooks.options);
    } catch {
      /* fall back to the asynchronous path */
    }
    if (this.module === null) {
      restarted = 'a fresh instance is being created';
      this.restarting = this.loader.create(this.hooks.options).then(
        (m) => {
          this.module = m;
          this.restarting = null;
        },
        () => {
          this.restarting = null;
        },
      );
    }
    const error = oom
      ? new VMarginError(
          'out_of_memory',
          '',
          `the call needed more memory than the WebAssembly module can have; ${restarted} (open sessions and markets were closed)`,
        )
      : new VMarginError(
          'internal_error',
          '',
          `the engine stopped (${reason}); ${restarted} (open sessions and markets were closed). Please report this with the inputs`,
        );
    error.cause = cause;
    return error;
  }
}

// Closes sessions, markets and watch books whose owner forgot: only a backstop, close() is the API.
const finalizers =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry(({ engine, generation, id, close = 'sessionClose' }) => {
        if (engine.generation === generation && engine.module !== null) {
          try {
            engine.module[close](id);
          } catch {
            /* the instance is being replaced */
          }
        }
      })
    : null;

function withState(engine, text, paths) {
  const { value, spans } = parseEngineJson(text, paths);
  if (isError(value)) {
    const e = value.error;
    throw new VMarginError(e.code, e.path, e.message);
  }
  // The state exactly as the core wrote it, sealed into a token.
  for (const [path, json] of spans) {
    const token = parseEngineJson(engine.call((m) => m.importState(json))).value;
    if (isError(token)) throw new VMarginError(token.error.code, token.error.path, token.error.message);
    const keys = path.split('/');
    const last = keys.pop();
    let holder = value;
    for (const k of keys) holder = holder[k];
    holder[last] = token;
  }
  return value;
}

// Module-private keys: a handle's live id and its engine, reachable only here.
const live = Symbol('live');
const engineOf = Symbol('engine');

/**
 * What sessions, market handles and watch books share: an id in the module,
 * the engine generation it belongs to (a restarted engine has closed it),
 * close() and a finalizer as a backstop.
 */
class Handle {
  #engine;
  #generation;
  #id;
  #kind;
  #close;
  #token = {};

  constructor(engine, id, kind, close) {
    this.#engine = engine;
    this.#generation = engine.generation;
    this.#id = id;
    this.#kind = kind;
    this.#close = close;
    finalizers?.register(this, { engine, generation: this.#generation, id, close }, this.#token);
  }

  [live]() {
    if (this.#id !== 0 && this.#engine.generation !== this.#generation) {
      this.#id = 0;
      finalizers?.unregister(this.#token);
      throw new VMarginError(
        'invalid_value',
        '',
        `the ${this.#kind} was closed when the engine restarted after a failure; open a new one`,
      );
    }
    if (this.#id === 0) throw new VMarginError('invalid_value', '', `the ${this.#kind} is closed`);
    return this.#id;
  }

  get [engineOf]() {
    return this.#engine;
  }

  get closed() {
    return this.#id === 0 || this.#engine.generation !== this.#generation;
  }

  /** Frees the handle's memory in the module. Idempotent. */
  close() {
    if (this.#id === 0) return;
    const id = this.#id;
    this.#id = 0;
    finalizers?.unregister(this.#token);
    if (this.#engine.generation === this.#generation) this.#engine.call((m) => m[this.#close](id));
  }

  [Symbol.dispose]() {
    this.close();
  }
}

class Session extends Handle {
  constructor(engine, id, description) {
    super(engine, id, 'session', 'sessionClose');
    /** What was verified when the session opened. */
    this.description = description;
  }

  /** Verifies one signed snapshot and evaluates the account: {report, verification, state}. */
  tick(snapshot) {
    const id = this[live]();
    const bytes = envelopeBytes(snapshot, '/snapshot');
    return withState(this[engineOf], this[engineOf].call((m) => m.sessionTick(id, bytes)), ['state']);
  }

  /** The acceptance state token now (to keep for the next session). */
  get state() {
    const id = this[live]();
    return withState(this[engineOf], this[engineOf].call((m) => m.sessionDescribe(id)), ['state']).state;
  }
}

/** The engine's output, or the VMarginError it holds (outputs that are reports start with {"account":). */
function checked(engine, text) {
  if (text.startsWith('{"error":')) withState(engine, text); // throws the error
  return text;
}

/**
 * An optional scenario for the module: "" when there is none; an empty text
 * given as the scenario goes as a blank document, which the strict reader
 * rejects (malformed_json at /scenario).
 */
function scenarioText(scenario) {
  if (scenario === undefined || scenario === null) return '';
  return documentText(scenario, '/scenario', 'the scenario') || ' ';
}

/**
 * A market handle: risk parameters and prices decoded and validated once in
 * the module, then any number of accounts evaluated against them, the
 * prices replaced per tick. Results are those of the stateless evaluate()
 * with the same documents, byte for byte.
 */
class MarketHandle extends Handle {
  constructor(engine, id) {
    super(engine, id, 'market', 'marketClose');
  }

  #report(account, scenario) {
    const id = this[live]();
    const text = documentText(account, '/account', 'the account');
    return this[engineOf].call((m) => m.marketEvaluate(id, text, scenarioText(scenario)));
  }

  /** The report of one account (an object or its JSON text), the scenario (if any) applied first. */
  evaluate(account, scenario) {
    return withState(this[engineOf], this.#report(account, scenario));
  }

  /** The same report as its canonical JSON text (what verification compares byte for byte). */
  evaluateText(account, scenario) {
    return checked(this[engineOf], this.#report(account, scenario));
  }

  /** The largest order ({market, side, price?}) that keeps the initial requirement, as vm.largestOrder. */
  largestOrder(account, query, scenario) {
    const id = this[live]();
    const text = documentText(account, '/account', 'the account');
    const what = scenarioText(scenario);
    const order = documentText(query, '/query', 'the query');
    return withState(this[engineOf], this[engineOf].call((m) => m.marketLargestOrder(id, text, what, order)));
  }

  /** Replaces the prices (an object or its JSON text); on an error the market keeps its prices. */
  updatePrices(prices) {
    const id = this[live]();
    const text = documentText(prices, '/prices', 'the prices');
    checked(this[engineOf], this[engineOf].call((m) => m.marketUpdatePrices(id, text)));
  }
}

/** Event lines (JSON Lines) as objects; a handle error (not an event: no "type") throws. */
function eventsOf(engine, text) {
  const events = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const { value } = parseEngineJson(line);
    if (isError(value)) withState(engine, line); // throws the error (an event has a "type")
    events.push(value);
  }
  return events;
}

/**
 * A watch book (docs/formats.md §10): many accounts kept evaluated at the
 * latest prices; each account or stream line returns the events it caused,
 * exactly those of `vmargin watch` for the same lines.
 */
class WatchBook extends Handle {
  #signed;
  #accountLines = 0;
  #streamLines = 0;

  constructor(engine, id, signed) {
    super(engine, id, 'watch book', 'watchClose');
    this.#signed = signed;
  }

  #line(value, path, what) {
    if (this.#signed) return envelopeBytes(value, path);
    return documentText(value, path, what);
  }

  /** The event lines (canonical JSON Lines text) of one account: a document, or a statement envelope when signed. */
  addAccountText(account) {
    const id = this[live]();
    const text = this.#line(account, '/account', 'the account');
    const n = ++this.#accountLines;
    return this[engineOf].call((m) => m.watchAccount(id, text, n));
  }

  /** The same events as objects (integers as bigints). */
  addAccount(account) {
    return eventsOf(this[engineOf], this.addAccountText(account));
  }

  /** The event lines of one stream line: {prices} or {account} (plain), a snapshot or statement envelope (signed). */
  pushText(line) {
    const id = this[live]();
    const text = this.#line(line, '', 'a stream line');
    const n = ++this.#streamLines;
    return this[engineOf].call((m) => m.watchLine(id, text, n));
  }

  /** The same events as objects (integers as bigints). */
  push(line) {
    return eventsOf(this[engineOf], this.pushText(line));
  }

  /** Signed books: the acceptance state token after the last accepted snapshot (null for a plain book). */
  get state() {
    const id = this[live]();
    if (!this.#signed) return null;
    const json = this[engineOf].call((m) => m.watchState(id));
    return withState(this[engineOf], this[engineOf].call((m) => m.importState(json)));
  }
}

function object(value, path, what) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw wrongType(path, `expected ${what}, found ${describe(value)}`);
  }
  return value;
}

/** Runs `fn` over a caller's object: a getter or proxy that throws is a wrong_type at `path`. */
function reading(path, fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof VMarginError) throw e;
    const error = wrongType(path, `the value could not be read: ${e && e.message ? e.message : e}`);
    error.cause = e;
    throw error;
  }
}

/** The canonical JSON inside a checked state token ("" for none): what the module's verifyEvaluate and sessionOpen read. */
function stateJson(engine, token) {
  if (token === null) return '';
  const json = engine.call((m) => m.exportState(token));
  if (json.startsWith('{"error":')) withState(engine, json); // throws the error
  return json;
}

function makeApi(engine) {
  const plain = (fn, input, root = '') => {
    const text = documentText(input, root, 'the input document');
    return withState(engine, engine.call((m) => m[fn](text)));
  };
  const signed = (inputs, withSnapshot) => {
    object(inputs, '', withSnapshot ? '{trust, state?, params, snapshot, statement}' : '{trust, state?, params, statement}');
    return reading('', () => [
      documentText(inputs.trust, '/trust', 'the trust store'),
      stateToken(inputs.state),
      envelopeBytes(inputs.params, '/params'),
      withSnapshot ? envelopeBytes(inputs.snapshot, '/snapshot') : null,
      envelopeBytes(inputs.statement, '/statement'),
    ]);
  };
  return Object.freeze({
    version: engine.module.version(),
    evaluate: (input) => plain('evaluate', input),
    largestOrder: (input) => plain('largestOrder', input),
    verifyEvaluate: (inputs) => {
      const [trust, state, params, snapshot, statement] = signed(inputs, true);
      const json = stateJson(engine, state);
      return withState(
        engine,
        engine.call((m) => m.verifyEvaluate(trust, json, params, snapshot, statement)),
        ['state'],
      );
    },
    verify: (result, published, inputs) =>
      reading('', () => {
        object(result, '/recomputed', 'a VerifiedResult or a Report');
        const recomputed = result.report !== undefined ? result.report : result;
        let publishedText;
        if (typeof published === 'string') {
          boundedText(published, '/published');
          try {
            JSON.parse(published);
          } catch (e) {
            throw new VMarginError('malformed_json', '/published', `not valid JSON: ${e.message}`);
          }
          publishedText = published;
        } else {
          publishedText = jsonText(published, '/published');
        }
        const versions = inputsOf(result, inputs);
        const text = `{"inputs":${jsonText(versions, '/inputs')},"published":${publishedText},"recomputed":${jsonText(recomputed, '/recomputed')}}`;
        return withState(engine, engine.call((m) => m.compareReports(text)));
      }),
    openSession: (inputs) => {
      const [trust, state, params, , statement] = signed(inputs, false);
      const json = stateJson(engine, state);
      const opened = withState(
        engine,
        engine.call((m) => m.sessionOpen(trust, json, params, statement)),
        ['description/state'],
      );
      return new Session(engine, Number(opened.session), opened.description);
    },
    openMarket: (inputs) => {
      object(inputs, '', '{risk_parameters, prices}');
      const [params, prices] = reading('', () => [
        documentText(inputs.risk_parameters, '/risk_parameters', 'the risk parameters'),
        documentText(inputs.prices, '/prices', 'the prices'),
      ]);
      const opened = withState(engine, engine.call((m) => m.marketOpen(params, prices)));
      return new MarketHandle(engine, Number(opened.market));
    },
    openWatch: (inputs) => {
      object(inputs, '', '{risk_parameters} or {trust, state?, params}, with insuranceFund?');
      const signedBook = reading('', () => inputs.trust !== undefined);
      const [trust, state, params, fund] = reading('', () => [
        signedBook ? documentText(inputs.trust, '/trust', 'the trust store') : '',
        signedBook ? stateToken(inputs.state) : null,
        signedBook
          ? envelopeBytes(inputs.params, '/params')
          : documentText(inputs.risk_parameters, '/risk_parameters', 'the risk parameters'),
        inputs.insuranceFund === undefined ? '' : String(inputs.insuranceFund),
      ]);
      const json = stateJson(engine, state);
      const opened = withState(engine, engine.call((m) => m.watchOpen(trust, json, params, fund)));
      return new WatchBook(engine, Number(opened.watch), signedBook);
    },
    importState: (text) => {
      if (typeof text !== 'string') throw wrongType('/state', `expected the state document's JSON text, found ${describe(text)}`);
      const bounded = boundedText(text, '/state');
      return withState(engine, engine.call((m) => m.importState(bounded)));
    },
    exportState: (token) => {
      const checked = stateToken(token);
      if (checked === null) throw wrongType('/state', `expected a state token, found ${describe(token)}`);
      return stateJson(engine, checked);
    },
    diagnostics: () =>
      engine.call((m) => ({
        heapBytesInUse: m.heapInUse(),
        memoryBytes: m.heapSize(),
        openSessions: m.sessionCount(),
        openMarkets: m.marketCount(),
        openWatches: m.watchCount(),
      })),
  });
}

/**
 * Memoises the module: one instance per entry point, created on first use.
 * A failed load rejects with a VMarginError and is not memoised (retry works).
 * `loader.create(options)` resolves to the module; `loader.createSync(options)`,
 * where the platform allows it, creates a replacement at once after a trap.
 * @param {{create: (options: object) => Promise<any>, createSync?: (options: object) => any}} loader
 */
export function memoisedInit(loader) {
  let pending = null;
  return function init() {
    if (pending === null) {
      const hooks = { abortReason: null, options: null };
      hooks.options = {
        onAbort: (what) => {
          hooks.abortReason = what;
        },
        printErr: () => {},
      };
      pending = loader.create(hooks.options).then(
        (module) => makeApi(new Engine(loader, module, hooks)),
        (cause) => {
          pending = null;
          const error = new VMarginError(
            'init_failed',
            '',
            `the WebAssembly module could not be loaded: ${cause && cause.message ? cause.message : cause}`,
          );
          error.cause = cause;
          throw error;
        },
      );
    }
    return pending;
  };
}
