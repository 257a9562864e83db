// Canonical JSON in JavaScript, as the engine writes it (sorted keys, no
// whitespace), for the runners that compare the JS faces' outputs byte for
// byte with the native ones: tests/js/run_vectors_package.mjs (Node),
// web/src/conformance.js (Chromium) and tests/web/web_test.mjs.

/** @param {unknown} v */
export const canonical = (v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v)
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
