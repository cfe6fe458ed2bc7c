/**
 * Matrices a learner pastes: plain numbers (one row per line, numbers separated by
 * spaces or commas; a `;` also ends a row) or JSON (an array of rows, or one flat array
 * for a single row). No DOM: the page and the Node tests share it.
 *
 * Every mistake throws an Error that says where it is — which matrix, which line or
 * element, what was found — and whose `field` names the pasted text it is about, so the
 * page can show it beside that text, which it keeps.
 */
import { parseNumberText } from '../figures/matrix-view.mjs';

/** The largest number of tokens (rows of Q, K, V or x) the pages accept. */
export const maxTokens = 1024;

/** Where character `offset` of `text` is, as "line L, column C". */
function lineAndColumn(text, offset) {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/**
 * Rows of numbers from JSON: an array of arrays (or one flat array) of numbers, or of
 * strings holding numbers. A small parser of its own, so that an error can say exactly
 * where the text goes wrong (JSON.parse's messages do not, in every browser).
 */
function fromJson(text, name) {
  let at = 0;
  const fail = (what) => {
    throw new Error(`${name}: ${what} at ${lineAndColumn(text, at)}`);
  };
  const skip = () => {
    while (/\s/.test(text[at] ?? '')) at += 1;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(at));
    if (!match) fail(`expected a number, found ${text[at] === undefined ? 'the end' : `"${text[at]}"`}`);
    const value = Number(match[0]);
    if (Math.abs(value) > 3.4028234663852886e38) fail(`${match[0]} does not fit in float32`);
    at += match[0].length;
    return value;
  };
  const string = () => {
    const end = text.indexOf('"', at + 1);
    if (end < 0) fail('a string is not closed');
    const value = parseNumberText(text.slice(at + 1, end));
    if (value === null) fail(`"${text.slice(at + 1, end)}" is not a number`);
    at = end + 1;
    return value;
  };
  const list = (item) => {
    if (text[at] !== '[') fail(`expected "[", found ${text[at] === undefined ? 'the end' : `"${text[at]}"`}`);
    at += 1;
    skip();
    const items = [];
    if (text[at] === ']') {
      at += 1;
      return items;
    }
    for (;;) {
      skip();
      items.push(item());
      skip();
      if (text[at] === ',') at += 1;
      else if (text[at] === ']') {
        at += 1;
        return items;
      } else fail(`expected "," or "]", found ${text[at] === undefined ? 'the end' : `"${text[at]}"`}`);
    }
  };
  const scalar = () => (text[at] === '"' ? string() : number());
  skip();
  const start = at;
  at += 1;
  skip();
  const nested = text[at] === '[';
  at = start;
  const rows = nested ? list(() => list(scalar)) : [list(scalar)];
  skip();
  if (at < text.length) fail('unexpected text after the matrix');
  if (!rows.length) throw new Error(`${name} is empty: expected an array of rows, such as [[1, 2], [3, 4]]`);
  return rows;
}

/** Rows of numbers from plain text, each with `line`, the line it came from (1-based). */
function fromPlain(text, name) {
  const rows = [];
  text.split('\n').forEach((line, lineIndex) => {
    line.split(';').forEach((segment) => {
      const tokens = segment.split(/[\s,]+/).filter(Boolean);
      if (!tokens.length) return;
      rows.push(Object.assign(tokens.map((token, at) => {
        const value = parseNumberText(token);
        if (value === null) throw new Error(`${name}, line ${lineIndex + 1}, number ${at + 1}: "${token}" is not a number`);
        return value;
      }), { line: lineIndex + 1 }));
    });
  });
  if (!rows.length) throw new Error(`${name} is empty: paste its rows, one per line`);
  return rows;
}

/** An Error that names the pasted field it is about (`field`: q, k, v, x, wq, wk or wv). */
export function pasteError(field, message) {
  return Object.assign(new Error(message), { field });
}

/** Runs `read`, marking any Error it throws as about `field`. */
function about(field, read) {
  try {
    return read();
  } catch (error) {
    throw error.field ? error : Object.assign(error, { field });
  }
}

/**
 * Reads one pasted matrix. Returns { values: Float32Array, rows, cols }; throws an Error
 * naming `name` and where the text is wrong.
 */
export function parseMatrixText(text, name) {
  const trimmed = String(text ?? '').trim();
  const rows = trimmed.startsWith('[') ? fromJson(trimmed, name) : fromPlain(trimmed, name);
  const cols = rows[0].length;
  if (!cols) throw new Error(`${name}: the first row is empty`);
  rows.forEach((row, r) => {
    if (row.length !== cols) {
      const where = (at) => `row ${at + 1}${rows[at].line ? ` (line ${rows[at].line})` : ''}`;
      throw new Error(`${name}: ${where(r)} has ${row.length} numbers but ${where(0)} has ${cols}; every row needs the same count`);
    }
  });
  if (rows.length > maxTokens * 64) throw new Error(`${name} has ${rows.length} rows; at most ${maxTokens * 64} are accepted`);
  return { values: Float32Array.from(rows.flat()), rows: rows.length, cols };
}

/** Throws unless `cols` columns split into `heads` equal blocks. */
function checkHeads(name, cols, heads) {
  if (cols % heads) throw new Error(`${name} has ${cols} columns, which do not split into ${heads} heads of equal width`);
}

/**
 * Q, K and V pasted: checks that they fit together (Q and K share their width, K and V
 * their rows, each width splits into the heads) and returns the problem's inputs
 * { q, k, v, nq, nk, dk, dv } (dk, dv per head). `texts`: { q, k, v }.
 */
export function pastedQkv(texts, { heads, tieKV }) {
  const q = about('q', () => parseMatrixText(texts.q, 'Q'));
  const k = about('k', () => parseMatrixText(texts.k, 'K'));
  if (q.cols !== k.cols) throw pasteError('k', `Q has ${q.cols} columns but K has ${k.cols}: a query and a key must have the same length d_k`);
  if (q.rows > maxTokens) throw pasteError('q', `Q has ${q.rows} rows; at most ${maxTokens} tokens`);
  if (k.rows > maxTokens) throw pasteError('k', `K has ${k.rows} rows; at most ${maxTokens} tokens`);
  about('q', () => checkHeads('Q', q.cols, heads));
  const inputs = { q: q.values, k: k.values, nq: q.rows, nk: k.rows, dk: q.cols / heads };
  if (tieKV) return { ...inputs, v: k.values, dv: inputs.dk };
  const v = about('v', () => parseMatrixText(texts.v, 'V'));
  if (v.rows !== k.rows) throw pasteError('v', `K has ${k.rows} rows but V has ${v.rows}: every key needs one value row`);
  about('v', () => checkHeads('V', v.cols, heads));
  return { ...inputs, v: v.values, dv: v.cols / heads };
}

/**
 * x with W_Q, W_K, W_V pasted: checks that each W has one row per column of x and that
 * W_Q and W_K share their width, and returns { x, dIn, wq, wk, wv, nq, nk, dk, dv }.
 * `texts`: { x, wq, wk, wv }.
 */
export function pastedProjections(texts, { heads, tieKV }) {
  const x = about('x', () => parseMatrixText(texts.x, 'x'));
  if (x.rows > maxTokens) throw pasteError('x', `x has ${x.rows} rows; at most ${maxTokens} tokens`);
  const matrix = (key, name) => about(key, () => {
    const w = parseMatrixText(texts[key], name);
    if (w.rows !== x.cols) throw new Error(`${name} has ${w.rows} rows but x has ${x.cols} columns: ${name} needs one row per column of x`);
    checkHeads(name, w.cols, heads);
    return w;
  });
  const wq = matrix('wq', 'W_Q');
  const wk = matrix('wk', 'W_K');
  if (wq.cols !== wk.cols) throw pasteError('wk', `W_Q has ${wq.cols} columns but W_K has ${wk.cols}: queries and keys must have the same length d_k`);
  const inputs = { x: x.values, dIn: x.cols, wq: wq.values, wk: wk.values, nq: x.rows, nk: x.rows, dk: wq.cols / heads };
  if (tieKV) return { ...inputs, wv: wk.values, dv: inputs.dk };
  const wv = matrix('wv', 'W_V');
  return { ...inputs, wv: wv.values, dv: wv.cols / heads };
}
