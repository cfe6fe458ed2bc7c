/**
 * From a view of `<self-attention>` (self-attention-state.mjs) to the attention problem
 * the pipeline computes (attention-pipeline.mjs): a sentence through the vocabulary and
 * its designed (and edited) projections, seeded random queries, keys and values, or
 * pasted numbers. No DOM: the widget, the playground and the Node tests share it.
 *
 * buildProblem returns { problem, labels, sentence?, errors } where `errors` maps the
 * parameter a message is about (sentence, vectors, wq, wk, heads, pq, pk, …) to the
 * message; with any error there is no problem, and the page keeps showing the last one.
 */
import {
  parseEdits, parseWordVectors, relationHeads, sentenceMatrix, tokenize, withEdits,
} from './sentence-vocabulary.mjs';
import { maxTokens, pastedProjections, pastedQkv } from './number-paste.mjs';

const pasteFields = { q: 'pq', k: 'pk', v: 'pv', x: 'px', wq: 'pwq', wk: 'pwk', wv: 'pwv' };

/** The settings every problem carries, from the view. */
const settings = (view) => ({
  heads: view.heads, scaling: view.scaling, temperature: view.temperature, mask: view.mask,
  window: view.window, tieKV: view.tie,
});

/** Labels for tokens without words: 1, 2, 3, … */
const numbered = (count) => Array.from({ length: count }, (_, index) => String(index + 1));

/** `copies` copies of a rows × cols matrix side by side: rows × (copies · cols). */
function sideBySide(matrix, rows, cols, copies) {
  const out = new Float32Array(rows * cols * copies);
  for (let r = 0; r < rows; r++)
    for (let copy = 0; copy < copies; copy++) out.set(matrix.subarray(r * cols, (r + 1) * cols), (r * copies + copy) * cols);
  return out;
}

/**
 * The sentence's problem: X from the vocabulary (unknown words from `vectors`), the
 * designed W_Q, W_K with the view's edits (one head), or split into one head per
 * relation (two heads), and the designed W_V (or V = K when tied).
 */
function sentenceProblem(view, vocabulary, errors) {
  const words = tokenize(view.sentence);
  if (!words.length) errors.sentence = 'Type at least one word.';
  if (words.length > maxTokens) errors.sentence = `The sentence has ${words.length} words; at most ${maxTokens}.`;
  const read = (name, parse) => {
    try {
      return parse();
    } catch (error) {
      errors[name] = error.message;
      return null;
    }
  };
  const { features, slots, values } = vocabulary;
  const vectors = read('vectors', () => parseWordVectors(view.vectors, features.length));
  const wqEdits = read('wq', () => parseEdits(view.wq, features, slots));
  const wkEdits = read('wk', () => parseEdits(view.wk, features, slots));
  if (view.heads !== 1 && view.heads !== vocabulary.relations.length) {
    errors.heads = `With a sentence, heads is 1 (the design) or ${vocabulary.relations.length} (one head per relation: ${vocabulary.relations.map(({ name }) => name).join(', ')}).`;
  }
  if (Object.keys(errors).length) return null;
  const { x, unknown } = sentenceMatrix(vocabulary, words, vectors);
  const wq = withEdits(vocabulary.wq, wqEdits, slots.length);
  const wk = withEdits(vocabulary.wk, wkEdits, slots.length);
  const split = view.heads > 1 ? relationHeads(vocabulary, wq, wk) : null;
  const dk = split ? split.widths[0] : slots.length;
  if (split && split.widths.some((width) => width !== dk)) {
    errors.heads = 'The relations use different numbers of slots, so they cannot be heads of one width.';
    return null;
  }
  const wv = split ? sideBySide(vocabulary.wv, features.length, values.length, view.heads) : vocabulary.wv;
  return {
    problem: {
      ...settings(view), x, dIn: features.length, wq: split ? split.wq : wq, wk: split ? split.wk : wk, wv,
      nq: words.length, nk: words.length, dk, dv: view.tie ? dk : values.length,
    },
    labels: words,
    sentence: {
      words, unknown, vectors, wq, wk, x, features,
      slotLabels: split ? split.labels : slots, valueLabels: split ? Array.from({ length: view.heads }, () => values).flat() : values,
    },
  };
}

/** Q, K and V drawn from the core's seeded normals: q, then k, then v, each n × heads·width. */
function randomProblem(view, lab) {
  const { n, heads, seed, tie } = view;
  const dk = view.dk, dv = tie ? view.dk : view.dv;
  const sizes = [n * heads * dk, n * heads * dk, tie ? 0 : n * heads * dv];
  const stream = lab.randomNormal({ seed, count: sizes[0] + sizes[1] + sizes[2] });
  const q = stream.subarray(0, sizes[0]);
  const k = stream.subarray(sizes[0], sizes[0] + sizes[1]);
  return {
    problem: { ...settings(view), q, k, v: tie ? k : stream.subarray(sizes[0] + sizes[1]), nq: n, nk: n, dk, dv },
    labels: numbered(n),
  };
}

function pastedProblem(view, errors) {
  const texts = Object.fromEntries(Object.entries(pasteFields).map(([key, name]) => [key, view[name]]));
  const options = { heads: view.heads, tieKV: view.tie };
  try {
    const inputs = view.paste === 'qkv' ? pastedQkv(texts, options) : pastedProjections(texts, options);
    return { problem: { ...settings(view), ...inputs }, labels: numbered(inputs.nk), queryLabels: numbered(inputs.nq) };
  } catch (error) {
    errors[pasteFields[error.field] ?? 'paste'] = error.message;
    return null;
  }
}

/** The problem a view describes; see the module comment. `lab` is needed for random input. */
export function buildProblem(view, { vocabulary, lab }) {
  const errors = {};
  let built = null;
  if (view.source === 'sentence') built = sentenceProblem(view, vocabulary, errors);
  else if (view.source === 'random') built = randomProblem(view, lab);
  else built = pastedProblem(view, errors);
  return built ? { ...built, queryLabels: built.queryLabels ?? built.labels, errors } : { problem: null, errors };
}
