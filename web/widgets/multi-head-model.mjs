/**
 * Lesson 6's numbers, all from the attention core: a sentence through the three designed
 * heads (multi-head-design.mjs), the same matrices as one wide head, and the heads with
 * values tied to keys; each relation's retrieval in each; the entropies of the heads and
 * of their mixture; and the quantities the lesson's exercises ask for. No DOM: the page
 * and the Node tests run the same code.
 */
import { designSentence, relationTargets } from './multi-head-design.mjs';

/** The configurations run for every sentence, as multiHeadAttention options. */
export const configurations = Object.freeze({
  separate: { heads: 'design', tieKV: false, masked: true },
  tied: { heads: 'design', tieKV: true, masked: true },
  wide: { heads: 1, tieKV: false, masked: false },
});

/** The words of a sentence the vocabulary does not know. */
export const unknownWords = (vocabulary, words) => [...new Set(words.filter((word) => !vocabulary.words.has(word)))];

const mean = (values) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 0);

/** 'above', 'equal' or 'below': the mixture's entropy against the mean of the heads' (equal within 1e-6 nats). */
export function compareToMean(mixture, meanOfHeads) {
  if (Math.abs(mixture - meanOfHeads) <= 1e-6) return 'equal to the mean';
  return mixture > meanOfHeads ? 'above the mean' : 'below the mean';
}

/**
 * Runs the core for `words` (every one in the vocabulary) with the heads whose flags in
 * `active` are true and values tied to keys or not (`tie`, for the main view). Returns
 * { words, n, x, runs: { separate, tied, wide } (each multiHeadAttention's result plus
 * its options), shown (the run the main view shows: tied or separate), targets
 * (relation → Int32Array), retrieval (relation → { separate, tied, wide }: each
 * lab.retrieval's result over the relation's head columns, measured against the
 * separate values: the content each relation should fetch), entropy (per word: heads
 * (null for a head switched off), meanOfHeads, mixture, tokens), quantities }.
 */
export function computeMultiHead(lab, design, vocabulary, words, { active, tie }) {
  const n = words.length;
  const { dModel } = design;
  const heads = design.heads.length;
  const x = designSentence(design, vocabulary, words);
  const runs = {};
  for (const [name, { heads: count, tieKV, masked }] of Object.entries(configurations)) {
    const options = {
      x, n, dModel, heads: count === 'design' ? heads : count, wq: design.wq, wk: design.wk, wo: design.wo, tieKV,
    };
    if (!tieKV) options.wv = design.wv;
    if (masked) options.headMask = [...active];
    runs[name] = { ...lab.multiHeadAttention(options), options };
  }
  const wanted = runs.separate.values;
  const targets = {};
  const retrieval = {};
  design.heads.forEach(({ relation, columns }) => {
    targets[relation] = relationTargets(relation, vocabulary, words);
    retrieval[relation] = Object.fromEntries(Object.entries(runs).map(([name, run]) => [name, lab.retrieval({
      output: run.headOutputs, values: wanted, rows: n, cols: dModel, targets: targets[relation], columns,
    })]));
  });
  const shown = tie ? runs.tied : runs.separate;
  const anyOn = active.some(Boolean);
  const entropy = words.map((_, row) => {
    const perHead = design.heads.map((_, h) => (active[h] ? shown.headEntropy[h * n + row] : null));
    const on = perHead.filter((value) => value !== null);
    const mixture = anyOn ? shown.mixtureEntropy[row] : null;
    return { heads: perHead, meanOfHeads: anyOn ? mean(on) : null, mixture, tokens: anyOn ? Math.exp(mixture) : null };
  });
  const result = { words, n, x, runs, shown, targets, retrieval, entropy };
  result.quantities = quantitiesOf(design, result, active);
  return result;
}

/** The largest entry's index (the first of equals). */
function argmax(values) {
  let best = 0;
  for (let index = 1; index < values.length; index++) if (values[index] > values[best]) best = index;
  return best;
}

/**
 * What exercises may ask for (a repeated word counts at its first place): words,
 * headNames, relations (the heads' names, one per relation), attendsMost.<head
 * number>.<word>, weight.<head number>.<query word>.<key word>, headOf.<query word>.<key
 * word> (the head that gives that pair the most weight), headFor.<relation> (the
 * head whose weights put most on that relation's targets), entropy.<head number>.<word>,
 * meanEntropy.<word>, mixtureEntropy.<word>, effectiveTokens.<word>,
 * mixtureVsMean.<word>, retrieval.<relation>.<separate|tied|wide> (mean cosine), and
 * wideKeeps (the relation the wide head retrieves best).
 */
function quantitiesOf(design, { words, n, shown, targets, retrieval, entropy }, active) {
  const first = new Map();
  words.forEach((word, index) => { if (!first.has(word)) first.set(word, index); });
  const headNames = design.heads.map(({ name }) => name);
  const perWord = (pick) => Object.fromEntries([...first].map(([word, index]) => [word, pick(index)]).filter(([, value]) => value !== null));
  const weightOf = (h, row, col) => shown.weights[(h * n + row) * n + col];
  const attendsMost = {}, weight = {}, headEntropy = {};
  design.heads.forEach((_, h) => {
    const row = (index) => Array.from({ length: n }, (__, col) => weightOf(h, index, col));
    attendsMost[h + 1] = perWord((index) => words[argmax(row(index))]);
    weight[h + 1] = perWord((index) => Object.fromEntries([...first].map(([key, col]) => [key, weightOf(h, index, col)])));
    headEntropy[h + 1] = perWord((index) => entropy[index].heads[h]);
  });
  const headOf = perWord((row) => Object.fromEntries([...first].map(([key, col]) => [key,
    headNames[argmax(design.heads.map((_, h) => weightOf(h, row, col)))]])));
  const headFor = Object.fromEntries(design.heads.map(({ relation }) => {
    const rows = [...targets[relation]].map((target, row) => [row, target]).filter(([, target]) => target >= 0);
    const onTarget = design.heads.map((_, h) => mean(rows.map(([row, target]) => weightOf(h, row, target))));
    return [relation, rows.length ? headNames[argmax(onTarget)] : null];
  }).filter(([, name]) => name !== null));
  const meanCosine = Object.fromEntries(Object.entries(retrieval).map(([relation, byRun]) => [relation,
    Object.fromEntries(Object.entries(byRun).filter(([, { count }]) => count > 0).map(([name, { mean: value }]) => [name, value]))]));
  const wideScores = design.heads.map(({ relation }) => meanCosine[relation].wide ?? -Infinity);
  const anyOn = active.some(Boolean);
  return {
    words: [...first.keys()],
    headNames,
    relations: headNames,
    attendsMost, weight, headOf, headFor,
    entropy: headEntropy,
    meanEntropy: anyOn ? perWord((index) => entropy[index].meanOfHeads) : {},
    mixtureEntropy: anyOn ? perWord((index) => entropy[index].mixture) : {},
    effectiveTokens: anyOn ? perWord((index) => entropy[index].tokens) : {},
    mixtureVsMean: anyOn ? perWord((index) => compareToMean(entropy[index].mixture, entropy[index].meanOfHeads)) : {},
    retrieval: meanCosine,
    ...(wideScores.some(Number.isFinite) ? { wideKeeps: headNames[argmax(wideScores)] } : {}),
  };
}
