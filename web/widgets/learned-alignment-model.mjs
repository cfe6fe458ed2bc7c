/**
 * The model behind `<learned-alignment>`, with no DOM, so a test in Node computes exactly
 * what the page shows.
 *
 * A word-order alignment learned from example pairs instead of built from word
 * identities. Every source word has a learned vector E_src[w] and every target word one
 * E_tgt[w], d = 8 numbers each. For a pair, target word i asks with query
 * q_i = E_tgt[target_i], source word j answers with key k_j = E_src[source_j], and the
 * values are the one-hot codes of the source positions (V = I), so the core's attention
 * output row i IS target word i's weight row a_i = softmax_j(q_i · k_j).
 *
 * The loss is the cross-entropy of each row against the source word the target word
 * translates (known from the pair), averaged over the target words and pairs:
 *   L = −(1/N) Σ log a_{i, t_i}.
 * Its gradient with respect to the output is −1/(N a_{i,t_i}) at (i, t_i) and 0 elsewhere;
 * the core's attentionBackward carries it through the softmax to ∂L/∂Q and ∂L/∂K, which
 * are added into the rows of E_tgt and E_src the pair used. Only Adam's update of the
 * embeddings is JavaScript: every forward and backward pass is the core's. Seeded by
 * lab.randomNormal, so the same seed gives the same numbers everywhere.
 */

/** The vector size of every embedding. */
export const dimension = 8;

/** Training pairs: English adjective–noun into French noun–adjective order. `translates[i]`: the source word of target word i. */
export const trainingPairs = Object.freeze([
  { source: ['the', 'red', 'car'], target: ['la', 'voiture', 'rouge'] },
  { source: ['the', 'black', 'dog'], target: ['le', 'chien', 'noir'] },
  { source: ['a', 'green', 'house'], target: ['une', 'maison', 'verte'] },
  { source: ['a', 'black', 'cat'], target: ['un', 'chat', 'noir'] },
  { source: ['the', 'red', 'book'], target: ['le', 'livre', 'rouge'] },
  { source: ['a', 'white', 'dog'], target: ['un', 'chien', 'blanc'] },
  { source: ['the', 'green', 'book'], target: ['le', 'livre', 'vert'] },
  { source: ['a', 'red', 'house'], target: ['une', 'maison', 'rouge'] },
  { source: ['the', 'white', 'cat'], target: ['le', 'chat', 'blanc'] },
  { source: ['a', 'black', 'car'], target: ['une', 'voiture', 'noire'] },
].map((pair) => ({ ...pair, translates: [0, 2, 1] })));

/** The pair the model never trains on: its alignment shows what the model learned. */
export const heldOutPair = Object.freeze({ source: ['the', 'white', 'book'], target: ['le', 'livre', 'blanc'], translates: [0, 2, 1] });

/** Every word of one side, in order of first appearance. */
const vocabulary = (side) => [...new Set(trainingPairs.flatMap((pair) => pair[side]))];
export const sourceWords = vocabulary('source');
export const targetWords = vocabulary('target');

/** The training settings: Adam's step size and how large the first embeddings are. */
export const learningRate = 0.01;
export const initialScale = 0.5;
const beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;

/** The smallest weight the loss's gradient divides by (a weight of 0 would divide by zero). */
const smallestWeight = 1e-6;

/**
 * A model in training: its embeddings (Float32Array, one row of `dimension` per word),
 * Adam's moments, the steps taken and the loss at each step (before that step's update).
 */
export function createModel(lab, { seed = 1 } = {}) {
  const draw = (count, offset) => {
    const numbers = lab.randomNormal({ seed: seed + offset, count });
    return numbers.map((value) => value * initialScale);
  };
  const source = draw(sourceWords.length * dimension, 0);
  const target = draw(targetWords.length * dimension, 1);
  return {
    seed, step: 0, losses: [],
    source, target,
    moments: [source, target].map((table) => ({ first: new Float32Array(table.length), second: new Float32Array(table.length) })),
  };
}

function gather(table, words, vocabularyWords) {
  const rows = new Float32Array(words.length * dimension);
  words.forEach((word, index) => {
    const row = vocabularyWords.indexOf(word);
    if (row < 0) throw new Error(`the word "${word}" is not in the training pairs`);
    rows.set(table.subarray(row * dimension, (row + 1) * dimension), index * dimension);
  });
  return rows;
}

const identity = (size) => {
  const v = new Float32Array(size * size);
  for (let index = 0; index < size; index++) v[index * size + index] = 1;
  return v;
};

/** The attention options of one pair under the model's embeddings (queries: target words, keys: source words). */
function pairOptions(model, { source, target }) {
  return {
    q: gather(model.target, target, targetWords), k: gather(model.source, source, sourceWords), v: identity(source.length),
    nq: target.length, nk: source.length, dk: dimension, dv: source.length, scaling: 'none',
  };
}

/** The learned alignment of a pair from the core's attention: { weights (target × source), rows, cols }. */
export function alignment(lab, model, pair) {
  const options = pairOptions(model, pair);
  const { output } = lab.attention({ ...options, weights: false });
  return { weights: output, rows: options.nq, cols: options.nk };
}

/**
 * The mean cross-entropy over every training pair, and (with `gradients`) its gradients
 * with respect to both embedding tables from the core's attentionBackward.
 */
export function lossAndGradients(lab, model, { gradients = true } = {}) {
  const count = trainingPairs.reduce((sum, pair) => sum + pair.target.length, 0);
  const gradSource = new Float32Array(model.source.length);
  const gradTarget = new Float32Array(model.target.length);
  let loss = 0;
  for (const pair of trainingPairs) {
    const options = pairOptions(model, pair);
    const { output } = lab.attention({ ...options, weights: false });
    const gradOutput = new Float32Array(output.length);
    pair.translates.forEach((column, row) => {
      const weight = Math.max(output[row * options.nk + column], smallestWeight);
      loss -= Math.log(weight) / count;
      gradOutput[row * options.nk + column] = -1 / (weight * count);
    });
    if (!gradients) continue;
    const { gradQ, gradK } = lab.attentionBackward({ ...options, gradOutput });
    scatter(gradTarget, gradQ, pair.target, targetWords);
    scatter(gradSource, gradK, pair.source, sourceWords);
  }
  return { loss, gradSource, gradTarget };
}

function scatter(into, rows, words, vocabularyWords) {
  words.forEach((word, index) => {
    const base = vocabularyWords.indexOf(word) * dimension;
    for (let c = 0; c < dimension; c++) into[base + c] += rows[index * dimension + c];
  });
}

/** One Adam step of the embeddings on the whole training set; returns the loss before it. */
export function trainStep(lab, model) {
  const { loss, gradSource, gradTarget } = lossAndGradients(lab, model);
  model.step += 1;
  const t = model.step;
  const correction1 = 1 - beta1 ** t, correction2 = 1 - beta2 ** t;
  [[model.source, gradSource, model.moments[0]], [model.target, gradTarget, model.moments[1]]].forEach(([table, grad, moment]) => {
    for (let index = 0; index < table.length; index++) {
      const g = grad[index];
      moment.first[index] = beta1 * moment.first[index] + (1 - beta1) * g;
      moment.second[index] = beta2 * moment.second[index] + (1 - beta2) * g * g;
      const update = (moment.first[index] / correction1) / (Math.sqrt(moment.second[index] / correction2) + epsilon);
      table[index] -= learningRate * update;
    }
  });
  model.losses.push(loss);
  return loss;
}

/** The column of each row's largest weight. */
export function rowPeaks({ weights, rows, cols }) {
  return Array.from({ length: rows }, (_, row) => {
    const slice = weights.subarray(row * cols, (row + 1) * cols);
    return slice.indexOf(Math.max(...slice));
  });
}
