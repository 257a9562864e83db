// Canonical JSON in JavaScript, as the engine writes it (sorted keys, no
// whitespace), for the runners that compare the JS faces' outputs byte for
// byte with the native ones: tests/js/run_vectors_package.mjs (Node),
// web/src/conformance.js (Chromium) and tests/web/web_test.mjs.

/** JSON text to insert as it is (e.g. the state exported from the npm package's token). */
export class RawJson {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
  }
}

/**
 * Bigints (the npm package's integers) are written as their digits, exactly.
 * @param {unknown} v
 * @returns {string}
 */
export const canonical = (v) =>
  v instanceof RawJson
    ? v.text
    : typeof v === 'bigint'
      ? v.toString()
      : v !== null && typeof v === 'object' && !Array.isArray(v)
    ? `{${Object.keys(v)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
        .join(',')}}`
    : Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : JSON.stringify(v);

/**
 * An input as the JS API takes it: the parsed object when JSON.parse keeps
 * it exactly (not for integers beyond 2^53 or malformed text), else the text.
 * @param {string} text
 */
export const inputOf = (text) => {
  try {
    const value = JSON.parse(text);
    return canonical(value) === text ? value : text;
  } catch {
    return text;
  }
};
