/**
 * Words as vectors of named features, from the vocabulary file lessons/data/vocabulary.json,
 * and the hand-designed projections W_Q, W_K, W_V that go with it. No DOM: the same code
 * runs in the page and in Node tests.
 *
 * The file lists features (noun, verb, pronoun, animal, person, number, adjective,
 * position), the words with their non-zero features, the query/key slots (thing, kind,
 * number, early) and value slots, the three matrices written sparsely by names
 * (`"pronoun": { "thing": 3 }`: a pronoun's query looks for things), and the relations
 * the design encodes (coreference, subject), each naming the query rows and slots it
 * uses so that a multi-head view can give each relation a head of its own.
 *
 * A sentence becomes X (n × features): each known word's features, each unknown word's
 * learner-set vector (zeros until set), and the position feature i / (n - 1).
 * Learner changes travel as text: cell edits "pronoun:thing:0,verb:early:4" and unknown
 * words' vectors "zorp:1:0:0:1:0:-1:0" (every feature but position, in order).
 */
import { parseNumberText } from '../figures/matrix-view.mjs';

/** The name of the vocabulary file in lessons/data/. */
export const vocabularyFile = 'vocabulary.json';

const positionFeature = 'position';

/** A dense rows × cols Float32Array from a sparse { row: { col: value } } object, checking every name. */
function denseMatrix(sparse, rowNames, colNames, what) {
  const matrix = new Float32Array(rowNames.length * colNames.length);
  for (const [row, entries] of Object.entries(sparse ?? {})) {
    const r = rowNames.indexOf(row);
    if (r < 0) throw new Error(`vocabulary: ${what} has a row "${row}" that is not a feature`);
    for (const [col, value] of Object.entries(entries)) {
      const c = colNames.indexOf(col);
      if (c < 0) throw new Error(`vocabulary: ${what}.${row} has a column "${col}" that is not a slot`);
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`vocabulary: ${what}.${row}.${col} must be a number`);
      matrix[r * colNames.length + c] = value;
    }
  }
  return matrix;
}

/**
 * Reads the parsed vocabulary file into { features, slots, values, words (Map word →
 * Float32Array of features, position 0), wq, wk (features × slots), wv (features ×
 * values), relations }. Throws naming anything malformed.
 */
export function readVocabulary(file) {
  const names = (list, what) => {
    if (!Array.isArray(list) || !list.length) throw new Error(`vocabulary: "${what}" must be a non-empty list`);
    return list.map(({ name }) => name);
  };
  const features = names(file.features, 'features');
  if (!features.includes(positionFeature)) throw new Error('vocabulary: the features need "position"');
  const slots = names(file.slots, 'slots');
  const values = names(file.values, 'values');
  const words = new Map();
  for (const [word, given] of Object.entries(file.words ?? {})) {
    const vector = new Float32Array(features.length);
    for (const [feature, value] of Object.entries(given)) {
      const at = features.indexOf(feature);
      if (at < 0 || feature === positionFeature) throw new Error(`vocabulary: "${word}" has an unknown feature "${feature}"`);
      vector[at] = value;
    }
    words.set(word, vector);
  }
  const relations = (file.relations ?? []).map((relation) => {
    for (const row of relation.queries) if (!features.includes(row)) throw new Error(`vocabulary: relation ${relation.name} names no feature "${row}"`);
    for (const slot of relation.slots) if (!slots.includes(slot)) throw new Error(`vocabulary: relation ${relation.name} names no slot "${slot}"`);
    return relation;
  });
  return {
    features, slots, values, words, relations,
    featureAbout: Object.fromEntries(file.features.map(({ name, about }) => [name, about])),
    wq: denseMatrix(file.wq, features, slots, 'wq'),
    wk: denseMatrix(file.wk, features, slots, 'wk'),
    wv: denseMatrix(file.wv, features, values, 'wv'),
  };
}

/** The words of a sentence: lower case, split at spaces, punctuation at either end dropped. */
export function tokenize(text) {
  return String(text).toLowerCase().split(/\s+/)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter(Boolean);
}

/** The learned-by-hand vectors of unknown words from "word:v1:…:v7,…" text: Map word → numbers, or throws naming the bad part. */
export function parseWordVectors(text, featureCount) {
  const vectors = new Map();
  for (const part of String(text ?? '').split(',').map((item) => item.trim()).filter(Boolean)) {
    const [word, ...numbers] = part.split(':');
    if (!word || numbers.length !== featureCount - 1) {
      throw new Error(`"${part}" must be a word and ${featureCount - 1} numbers separated by ":"`);
    }
    const vector = numbers.map(parseNumberText);
    if (vector.includes(null)) throw new Error(`"${part}" holds something that is not a number`);
    vectors.set(word.toLowerCase(), vector);
  }
  return vectors;
}

/** The text form of unknown words' vectors (inverse of parseWordVectors). */
export const formatWordVectors = (vectors) => [...vectors].map(([word, vector]) => [word, ...vector].join(':')).join(',');

/**
 * X for a sentence: rows of features, position set from the place. Returns
 * { words, x (n × features), unknown: the words not in the vocabulary, in order }.
 */
export function sentenceMatrix(vocabulary, words, vectors = new Map()) {
  const { features } = vocabulary;
  const d = features.length;
  const position = features.indexOf(positionFeature);
  const x = new Float32Array(words.length * d);
  const unknown = [];
  words.forEach((word, index) => {
    const known = vocabulary.words.get(word);
    if (known) x.set(known, index * d);
    else {
      if (!unknown.includes(word)) unknown.push(word);
      const own = vectors.get(word) ?? [];
      features.forEach((feature, at) => {
        if (at !== position) x[index * d + at] = own[at < position ? at : at - 1] ?? 0;
      });
    }
    x[index * d + position] = words.length > 1 ? index / (words.length - 1) : 0;
  });
  return { words, x, unknown };
}

/** Edits of a designed matrix as text "row:col:value,…" → [{ row, col, value }] (indices), or throws naming the bad part. */
export function parseEdits(text, rowNames, colNames) {
  return String(text ?? '').split(',').map((item) => item.trim()).filter(Boolean).map((part) => {
    const [row, col, valueText, extra] = part.split(':');
    const r = rowNames.indexOf(row), c = colNames.indexOf(col);
    const value = parseNumberText(valueText ?? '');
    if (extra !== undefined || r < 0 || c < 0 || value === null) {
      throw new Error(`"${part}" must be row:column:number with a row among ${rowNames.join(', ')} and a column among ${colNames.join(', ')}`);
    }
    return { row: r, col: c, value };
  });
}

/** The edits that turn `designed` into `current` (both rows × cols), as text. */
export function formatEdits(designed, current, rowNames, colNames) {
  const parts = [];
  for (let r = 0; r < rowNames.length; r++) {
    for (let c = 0; c < colNames.length; c++) {
      const at = r * colNames.length + c;
      if (!Object.is(designed[at], current[at])) parts.push(`${rowNames[r]}:${colNames[c]}:${current[at]}`);
    }
  }
  return parts.join(',');
}

/** `matrix` with `edits` applied, as a new array. */
export function withEdits(matrix, edits, cols) {
  const copy = Float32Array.from(matrix);
  for (const { row, col, value } of edits) copy[row * cols + col] = value;
  return copy;
}

/**
 * The design split into one head per relation: W_Q and W_K with the columns of each
 * relation's slots side by side (features × Σ slots), each head's W_Q keeping only the
 * rows of its queries. Returns { wq, wk, width: [slots per head], labels }.
 */
export function relationHeads(vocabulary, wq = vocabulary.wq, wk = vocabulary.wk) {
  const { features, slots, relations } = vocabulary;
  const labels = relations.flatMap((relation) => relation.slots.map((slot) => `${slot} (${relation.name})`));
  const cols = labels.length;
  const outQ = new Float32Array(features.length * cols);
  const outK = new Float32Array(features.length * cols);
  let at = 0;
  for (const relation of relations) {
    for (const slot of relation.slots) {
      const s = slots.indexOf(slot);
      features.forEach((feature, f) => {
        if (relation.queries.includes(feature)) outQ[f * cols + at] = wq[f * slots.length + s];
        outK[f * cols + at] = wk[f * slots.length + s];
      });
      at += 1;
    }
  }
  return { wq: outQ, wk: outK, widths: relations.map((relation) => relation.slots.length), labels };
}
