/**
 * The playground's JSON file: its view (every parameter as text), the inputs and
 * settings, and the outputs the core computed, written so that reading it back gives
 * the same float32 numbers, bit for bit. No DOM: the page and the Node tests share it.
 *
 * How floats stay exact: every number is a float32 (the core's type). It is written as
 * the shortest decimal that reads back to the same float32 (at most 9 significant
 * digits always suffice for float32); reading parses the decimal and rounds it to
 * float32 (Math.fround), which returns exactly the value written. The three values JSON
 * numbers cannot hold are strings: "-0", "Infinity", "-Infinity" (a masked score). NaN
 * never occurs: the core refuses it. Matrices are arrays of rows; per-head arrays are
 * arrays of matrices. tests/js/playground-json.test.mjs checks every float32 bit
 * pattern class (zeros, subnormals, the extremes, random bits) round-trips.
 */

export const fileFormat = 'attention-lab playground';
export const fileVersion = 1;

/** A float32 value as JSON text: the shortest decimal that reads back to it, or a string for -0 and ±Infinity. */
export function float32Text(value) {
  if (Object.is(value, -0)) return '"-0"';
  if (value === Infinity) return '"Infinity"';
  if (value === -Infinity) return '"-Infinity"';
  if (Number.isNaN(value)) throw new Error('NaN cannot be written: the core never returns it');
  const exact = Math.fround(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = String(Number(exact.toPrecision(digits)));
    if (Math.fround(Number(text)) === exact) return text;
  }
  throw new Error(`${value} has no 9-digit decimal (impossible for a float32)`);
}

/** The float32 a JSON value written by float32Text stands for, or null if it is none. */
export function float32Value(json) {
  if (typeof json === 'number') return Number.isFinite(json) ? Math.fround(json) : null;
  if (json === '-0') return -0;
  if (json === 'Infinity') return Infinity;
  if (json === '-Infinity') return -Infinity;
  return null;
}

/** Float32 numbers with a shape ([heads, rows, cols] or [rows, cols]), written as nested arrays. */
export class Floats {
  constructor(values, shape) {
    if (values.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`${values.length} numbers do not fill the shape ${shape.join(' × ')}`);
    this.values = values;
    this.shape = shape;
  }
}

function nested(values, shape, offset, indent) {
  if (shape.length === 1) {
    const items = [];
    for (let index = 0; index < shape[0]; index++) items.push(float32Text(values[offset + index]));
    return `[${items.join(', ')}]`;
  }
  const [count, ...rest] = shape;
  const size = rest.reduce((a, b) => a * b, 1);
  const inner = `${indent}  `;
  const parts = [];
  for (let index = 0; index < count; index++) parts.push(inner + nested(values, rest, offset + index * size, inner));
  return `[\n${parts.join(',\n')}\n${indent}]`;
}

/** `document` as JSON text: plain values as JSON.stringify writes them, Floats as nested arrays of exact float32 decimals. */
export function toJsonText(document, indent = '') {
  if (document instanceof Floats) return nested(document.values, document.shape, 0, indent);
  if (Array.isArray(document)) {
    if (document.every((item) => item === null || typeof item !== 'object')) return JSON.stringify(document);
    return `[\n${document.map((item) => `${indent}  ${toJsonText(item, `${indent}  `)}`).join(',\n')}\n${indent}]`;
  }
  if (document && typeof document === 'object') {
    const entries = Object.entries(document).filter(([, value]) => value !== undefined);
    return `{\n${entries.map(([key, value]) => `${indent}  ${JSON.stringify(key)}: ${toJsonText(value, `${indent}  `)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(document);
}

/**
 * Reads nested arrays of `shape` from parsed JSON into a Float32Array; throws naming the
 * path (e.g. "outputs.weights[0][2][1]") of the first thing that does not fit.
 */
export function readFloats(json, shape, path) {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let at = 0;
  const walk = (value, depth, where) => {
    if (depth === shape.length) {
      const number = float32Value(value);
      if (number === null) throw new Error(`${where} is ${JSON.stringify(value)}, not a float32 number (or "-0", "Infinity", "-Infinity")`);
      out[at++] = number;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[depth]) {
      throw new Error(`${where} must be an array of ${shape[depth]}, got ${Array.isArray(value) ? `an array of ${value.length}` : JSON.stringify(value)?.slice(0, 40)}`);
    }
    value.forEach((item, index) => walk(item, depth + 1, `${where}[${index}]`));
  };
  walk(json, 0, path);
  return out;
}

/** The result's arrays and their shapes, as the file names them. */
export function outputShapes(result) {
  const { heads, nq, nk, dk, dv } = result;
  return {
    q: [heads, nq, dk], k: [heads, nk, dk], v: [heads, nk, dv],
    scores: [heads, nq, nk], weights: [heads, nq, nk], output: [heads, nq, dv],
    entropy: [heads, nq], effectiveTokens: [heads, nq], ...(heads > 1 ? { mixtureEntropy: [nq] } : {}),
  };
}

/** The problem's input arrays and their shapes: x with W_Q, W_K, W_V, or Q, K, V as given (all heads side by side). */
export function inputShapes(problem) {
  const { heads, nq, nk, dk, dv, tieKV } = problem;
  const width = heads * dk, valueWidth = heads * dv;
  if (problem.x) {
    return { x: [nq, problem.dIn], wq: [problem.dIn, width], wk: [problem.dIn, width], ...(tieKV ? {} : { wv: [problem.dIn, valueWidth] }) };
  }
  return { q: [nq, width], k: [nk, width], ...(tieKV ? {} : { v: [nk, valueWidth] }) };
}

/** The file for a snapshot of the widget ({ view texts, labels, problem, result }). */
export function playgroundDocument({ viewTexts, labels, problem, result }) {
  const shapes = outputShapes(result);
  const { heads, scaling, temperature, mask, window, tieKV } = problem;
  return {
    format: fileFormat,
    version: fileVersion,
    floats: 'float32, each the shortest decimal that reads back to the same float32; "-0", "Infinity" and "-Infinity" as strings',
    view: viewTexts,
    tokens: labels,
    settings: { heads, scaling, temperature, mask, window, tieKV },
    shape: { heads: result.heads, queries: result.nq, keys: result.nk, dk: result.dk, dv: result.dv },
    inputs: Object.fromEntries(Object.entries(inputShapes(problem)).map(([name, shape]) => [name, new Floats(problem[name], shape)])),
    outputs: Object.fromEntries(Object.entries(shapes).map(([name, shape]) => [name, new Floats(result[name], shape)])),
  };
}

/**
 * Reads a playground file's text: checks its format and version and returns { view
 * (texts), inputs and outputs (name → Float32Array), shape }; throws saying what is
 * wrong. The inputs' shapes are checked when the page compares them with its own.
 */
export function readPlaygroundDocument(text) {
  let document;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`the file is not JSON: ${error.message}`);
  }
  if (document?.format !== fileFormat) throw new Error(`the file is not an attention-lab playground file (its "format" is ${JSON.stringify(document?.format)})`);
  if (document.version !== fileVersion) throw new Error(`the file has version ${JSON.stringify(document.version)}; this page reads version ${fileVersion}`);
  if (!document.view || typeof document.view !== 'object') throw new Error('the file has no "view"');
  for (const [name, value] of Object.entries(document.view)) {
    if (typeof value !== 'string') throw new Error(`view.${name} must be text, got ${JSON.stringify(value)}`);
  }
  const { heads, queries, keys, dk, dv } = document.shape ?? {};
  const counts = { heads, queries, keys, dk, dv };
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`shape.${name} must be a positive integer`);
  }
  const shapes = outputShapes({ heads, nq: queries, nk: keys, dk, dv });
  const outputs = Object.fromEntries(Object.entries(shapes).map(([name, shape]) => [name, readFloats(document.outputs?.[name], shape, `outputs.${name}`)]));
  const inputs = Object.fromEntries(Object.entries(document.inputs ?? {}).map(([name, rows]) => {
    const shape = [Array.isArray(rows) ? rows.length : 0, Array.isArray(rows?.[0]) ? rows[0].length : 0];
    return [name, readFloats(rows, shape, `inputs.${name}`)];
  }));
  return { view: document.view, inputs, outputs, shape: counts };
}

/** The first place where two files' outputs differ in their bits, or null when every number is the same. */
export function firstDifference(expected, actual) {
  for (const [name, values] of Object.entries(expected)) {
    const other = actual[name];
    if (!other || other.length !== values.length) return { name, index: -1 };
    const a = new Uint32Array(values.buffer, values.byteOffset, values.length);
    const b = new Uint32Array(other.buffer, other.byteOffset, other.length);
    for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return { name, index, file: values[index], now: other[index] };
  }
  return null;
}
