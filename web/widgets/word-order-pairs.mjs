/**
 * The numbers behind `<word-order>`, with no DOM, so a test in Node computes exactly
 * what the page shows.
 *
 * A toy translation pair is a source sentence, a target sentence and, for each target
 * word, the source word it translates (a dictionary, not a trained model). The
 * alignment heatmap is attention built from those word identities: target word i asks
 * for the source word it translates (its query is that word's one-hot code), every
 * source word's key is its own one-hot code, so q·k is 1 for the match and 0 elsewhere,
 * and the core's softmax at temperature 1/4 turns each row into weights. Where the two
 * languages order their words differently the rows' peaks cross. The best monotonic
 * alignment (`lab.monotonicAlignment` on the same weights) may not go back, so it must
 * get some of those rows wrong.
 */

/** How sharp the alignment's rows are: softmax(q·k / temperature). */
export const alignmentTemperature = 0.25;

/** The pairs offered; `yours` is reordered by the learner. `translates[i]`: the source word target word i translates. */
export const wordOrderPairs = Object.freeze([
  {
    id: 'adjective', name: 'French: adjective after noun',
    source: ['the', 'black', 'cat', 'sleeps'], target: ['le', 'chat', 'noir', 'dort'], translates: [0, 2, 1, 3],
  },
  {
    id: 'verb-final', name: 'German: verb last',
    source: ['because', 'the', 'boy', 'reads', 'a', 'book'], target: ['weil', 'der', 'Junge', 'ein', 'Buch', 'liest'],
    translates: [0, 1, 2, 4, 5, 3],
  },
  {
    id: 'head-final', name: 'Japanese: verb last, clause first',
    source: ['I', 'know', 'that', 'she', 'reads', 'books'], target: ['watashi', 'kanojo', 'hon', 'yomu', 'to', 'shitteiru'],
    translates: [0, 3, 5, 4, 2, 1],
  },
  {
    id: 'yours', name: 'Your own order',
    source: ['the', 'small', 'dog', 'saw', 'a', 'big', 'cat'], target: null, translates: null,
  },
]);

export const pairIds = wordOrderPairs.map(({ id }) => id);

/** The learner's pair with its target words in `order` (a permutation of the source's indices). */
export function pairWithOrder(pair, order) {
  if (pair.id !== 'yours') return pair;
  return { ...pair, target: order.map((index) => pair.source[index]), translates: [...order] };
}

/** Reads an order such as "0,2,1,3" for `count` words: a permutation, or null. */
export function readOrder(text, count) {
  const parts = String(text).split(',').map((part) => part.trim());
  if (parts.length !== count || !parts.every((part) => /^\d+$/.test(part))) return null;
  const order = parts.map(Number);
  const seen = new Set(order);
  return seen.size === count && order.every((index) => index < count) ? order : null;
}

/**
 * The alignment weights (rows = target words, columns = source words) from the core's
 * attention, and the best monotonic alignment of them from the core: { weights, rows,
 * cols, path, total, misaligned (target rows it gets wrong) }.
 */
export function alignPair(lab, { source, target, translates }) {
  const rows = target.length, cols = source.length;
  const q = new Float32Array(rows * cols);
  translates.forEach((column, row) => { q[row * cols + column] = 1; });
  const k = new Float32Array(cols * cols);
  for (let column = 0; column < cols; column++) k[column * cols + column] = 1;
  const { weights } = lab.attention({
    q, k, v: new Float32Array(cols), nq: rows, nk: cols, dk: cols, dv: 1, scaling: 'none', temperature: alignmentTemperature,
  });
  const { path, total, misaligned } = lab.monotonicAlignment({ scores: weights, rows, cols });
  return { weights, rows, cols, path, total, misaligned };
}

/** The same source words fully reversed: the most crossed order there is. */
export const reversedOrder = (count) => Array.from({ length: count }, (_, index) => count - 1 - index);

/** How many pairs of alignment lines cross: rows i < j whose columns go the other way. */
export function countCrossings(columns) {
  let count = 0;
  for (let i = 0; i < columns.length; i++) for (let j = i + 1; j < columns.length; j++) if (columns[j] < columns[i]) count += 1;
  return count;
}
