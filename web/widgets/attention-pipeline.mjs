/**
 * Self-attention from inputs to outputs, every number computed by the attention core
 * (the JS API, `lab`). No DOM: the widget, the playground and the Node tests share it.
 *
 * A problem is either word vectors with projections or queries, keys and values given
 * directly:
 *   { x, dIn, wq, wk, wv }   x: n × dIn; wq, wk: dIn × heads·dk; wv: dIn × heads·dv
 *   { q, k, v }              q: nq × heads·dk; k: nk × heads·dk; v: nk × heads·dv
 * plus { nq, nk, heads, dk, dv, tieKV, scaling, temperature, mask, window }. With tieKV
 * the values are the keys (V = K, dv = dk; wv and v are ignored).
 *
 * computeAttention returns head-major blocks (heads × rows × width), the layout the core
 * takes: q, k, v; the scores the softmax saw (`scores`: QKᵀ·s/T, -Infinity where masked);
 * the weights; the output; each row's entropy and effective number of tokens per head;
 * with `stages`, also the raw QKᵀ and the scaled scores before the mask (both from the
 * core with other settings); with more than one head, the entropy of the heads' mixture.
 */

/** Rows × (heads · width) row-major → heads × rows × width (a copy, no arithmetic). */
export function headBlocks(matrix, rows, heads, width) {
  if (heads === 1) return Float32Array.from(matrix);
  const out = new Float32Array(rows * heads * width);
  for (let h = 0; h < heads; h++)
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < width; c++) out[(h * rows + r) * width + c] = matrix[r * heads * width + h * width + c];
  return out;
}

/** Heads × rows × width → rows × (heads · width): the heads' outputs side by side (a copy). */
export function concatenateHeads(blocks, rows, heads, width) {
  const out = new Float32Array(rows * heads * width);
  for (let h = 0; h < heads; h++)
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < width; c++) out[r * heads * width + h * width + c] = blocks[(h * rows + r) * width + c];
  return out;
}

/** One block of a head-major array. */
export const block = (array, head, size) => array.subarray(head * size, (head + 1) * size);

/** Q, K, V for the problem, head-major, from the core's projections or as given. */
export function projections(lab, problem) {
  const { nq, nk, heads, dk, tieKV } = problem;
  const dv = tieKV ? dk : problem.dv;
  if (problem.x) {
    const { x, dIn } = problem;
    const project = (w, width) => lab.project({ x, w, n: nq, dIn, dOut: heads * width, heads });
    const q = project(problem.wq, dk);
    const k = project(problem.wk, dk);
    return { q, k, v: tieKV ? k : project(problem.wv, dv), dv };
  }
  const q = headBlocks(problem.q, nq, heads, dk);
  const k = headBlocks(problem.k, nk, heads, dk);
  return { q, k, v: tieKV ? k : headBlocks(problem.v, nk, heads, dv), dv };
}

/**
 * Runs the problem through the core; see the module comment for what comes back.
 * `scores: false` leaves out the n × n scores (a large copy); scoreRow gives one row.
 * `statistics: false` leaves out the entropies; addStatistics adds them later.
 */
export function computeAttention(lab, problem, { stages = false, scores = true, statistics = true } = {}) {
  const { nq, nk, heads, dk, scaling, temperature, mask, window } = problem;
  const { q, k, v, dv } = projections(lab, problem);
  const shape = { q, k, v, nq, nk, dk, dv, heads };
  const main = lab.attention({ ...shape, scaling, temperature, mask, window, scores: scores || stages });
  const result = {
    nq, nk, heads, dk, dv, q, k, v, settings: { scaling, temperature, mask, window },
    scores: main.scores ?? null, weights: main.weights, output: main.output,
  };
  if (statistics) addStatistics(lab, result);
  if (stages) {
    result.rawScores = lab.attention({ ...shape, scaling: 'none', temperature: 1, mask: 'none', scores: true }).scores;
    result.scaledScores = lab.attention({ ...shape, scaling, temperature, mask: 'none', scores: true }).scores;
  }
  return result;
}

/** Adds each row's entropy and effective number of tokens per head (and the heads' mixture entropy) to `result`. */
export function addStatistics(lab, result) {
  const rows = { weights: result.weights, heads: result.heads, rows: result.nq, cols: result.nk };
  Object.assign(result, {
    entropy: lab.entropy(rows),
    effectiveTokens: lab.effectiveTokens(rows),
    mixtureEntropy: result.heads > 1 ? lab.mixtureEntropy(rows) : null,
  });
  return result;
}

/** Whether query i sees key j under the mask (the core's rule, for marking a row computed without it). */
export function visible({ mask, window }, i, j) {
  if (mask === 'causal') return j <= i;
  if (mask === 'local') return Math.abs(i - j) <= window;
  return true;
}

/**
 * Query i's scores in head `head` as the softmax sees them (scaled, -Infinity where
 * masked): from the result, or, when it holds no scores, from the core for this row
 * alone (scaled without the mask, then the masked keys set to -Infinity).
 */
export function scoreRow(lab, result, head, i) {
  const { nq, nk, dk, settings } = result;
  if (result.scores) return result.scores.subarray((head * nq + i) * nk, (head * nq + i + 1) * nk);
  const q = result.q.subarray((head * nq + i) * dk, (head * nq + i + 1) * dk);
  const k = result.k.subarray(head * nk * dk, (head + 1) * nk * dk);
  const { scores } = lab.attention({
    q, k, v: new Float32Array(nk), nq: 1, nk, dk, dv: 1, scaling: settings.scaling, temperature: settings.temperature, scores: true,
  });
  for (let j = 0; j < nk; j++) if (!visible(settings, i, j)) scores[j] = -Infinity;
  return scores;
}

/** The dot product q_i · k_j of head `head`, from the core (a 1 × dk by dk × 1 product). */
export function dotProduct(lab, result, head, i, j) {
  const { nq, nk, dk } = result;
  const qi = result.q.subarray((head * nq + i) * dk, (head * nq + i + 1) * dk);
  const kj = result.k.subarray((head * nk + j) * dk, (head * nk + j + 1) * dk);
  return lab.project({ x: qi, w: kj, n: 1, dIn: dk, dOut: 1 })[0];
}

/** What key j adds to query i's output in head `head`: weight × v_j, from the core. */
export function contribution(lab, result, head, i, j) {
  const { nq, nk, dv } = result;
  const weight = result.weights[(head * nq + i) * nk + j];
  const vj = result.v.subarray((head * nk + j) * dv, (head * nk + j + 1) * dv);
  return lab.project({ x: [weight], w: vj, n: 1, dIn: 1, dOut: dv });
}

/** Every key's contribution to query i's output, nk × dv: diag(weights of row i) · V, from the core. */
export function rowContributions(lab, result, head, i) {
  const { nq, nk, dv } = result;
  const row = result.weights.subarray((head * nq + i) * nk, (head * nq + i + 1) * nk);
  const diagonal = new Float32Array(nk * nk);
  for (let j = 0; j < nk; j++) diagonal[j * nk + j] = row[j];
  return lab.project({ x: diagonal, w: block(result.v, head, nk * dv), n: nk, dIn: nk, dOut: dv });
}

/** The index of the largest value in `row` (the first of a tie). */
export function argmax(row) {
  let best = 0;
  for (let index = 1; index < row.length; index++) if (row[index] > row[best]) best = index;
  return best;
}
