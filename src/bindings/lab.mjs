// The JavaScript face of the attention core: typed arrays in, typed arrays out.
//
// makeLab wraps an instantiated Emscripten module (attention-core.mjs). Every call
// checks its arguments first and throws an Error that names the bad one; arrays are
// copied into the WASM heap, the core runs, results are copied out into fresh
// Float32Arrays the caller owns, and the heap memory is freed whatever happens, so a
// failed call leaves the lab working.

import { ArgumentChecker, describe, makeCall } from './arguments.mjs';
import contextApi from './context-api.mjs';
import multiHeadApi from './multi-head-api.mjs';
import { projectionApi } from './projection-api.mjs';
import stackingApi from './stacking-api.mjs';
import trainingApi, { dropoutOption } from './training-api.mjs';

/** API parts in files of their own (see the end of makeLab); one import and one entry each. */
const apiParts = [contextApi, stackingApi, multiHeadApi, trainingApi, projectionApi];

const SCALINGS = ['sqrt', 'none', 'l2'];
const MASKS = ['none', 'causal', 'local'];
const ATTENTION_OPTIONS = ['q', 'k', 'v', 'nq', 'nk', 'dk', 'dv', 'heads', 'scaling', 'temperature', 'mask', 'window',
  'weights', 'scores', 'out', 'dropout', 'seed'];
const MULTI_HEAD_OPTIONS = ['x', 'n', 'dModel', 'heads', 'wq', 'wk', 'wv', 'wo', 'mask', 'window', 'tieKV', 'weights',
  'headMask'];
/** The most keys per softmax row of the scaling experiment (the core's max_experiment_keys). */
const MAX_EXPERIMENT_KEYS = 2 ** 16;

/** `window`: required with the local mask, else optional (and ignored). */
function localWindow(a, mask) {
  return mask === MASKS.indexOf('local') ? a.count('window') : a.count('window', 0);
}

/**
 * Wraps an instantiated attention-core module in the public API.
 * @param core the resolved Emscripten module
 * @param variant 'simd' or 'scalar', reported as lab.variant
 */
export function makeLab(core, variant = 'simd') {
  const call = makeCall(core);

  const lab = {
    /** 'simd' or 'scalar': which build of the core this lab runs. */
    variant,
    /** True when the core's vector kernels are compiled in. */
    simd: core.simdEnabled(),

    /**
     * Scaled dot-product attention. Each query row blends the value rows, weighted by the
     * softmax of its match with every key: logits = (q . k) * s / temperature, with
     * s = 1/sqrt(dk) ('sqrt'), 1 ('none') or 1/|k| ('l2': keys scaled to unit length).
     * Masks hide keys: 'causal' lets query i see keys j <= i; 'local' keys |i - j| <= window.
     * A query that sees no key gets a zero output row and zero weights. The temperature
     * may be any float32 > 0: the row's largest score is subtracted before dividing by
     * it, so as it tends to 0 the weights tend to the argmax (tied keys share equally).
     *
     * q: nq x dk, k: nk x dk, v: nk x dv, row-major. Returns { output (nq x dv),
     * weights (nq x nk, unless weights: false, which runs the fused kernel),
     * scores (nq x nk logits, -Infinity where masked, when scores: true) }.
     * With heads = h, every array holds h such blocks one after the other (q: h x nq x dk,
     * output: h x nq x dv, ...): h independent attentions in one call.
     * `out`: a Float32Array of the output's size to write the output into (and return as
     * `output`) instead of allocating a new one; useful in loops.
     * `dropout: p` (0 <= p < 1; default 0) is attention in training mode: after the softmax,
     * each weight is zeroed with probability p and the survivors are scaled by 1/(1 - p),
     * and the output is computed from those weights, which are the `weights` returned.
     * The same `seed` (default 1) drops the same weights. With p > 0 the weights kernel
     * runs even when `weights: false` (which then only skips returning them).
     */
    attention(options) {
      const a = new ArgumentChecker('attention', options, ATTENTION_OPTIONS);
      const nq = a.size('nq'), nk = a.size('nk'), dk = a.size('dk'), dv = a.size('dv');
      const heads = a.size('heads', 1);
      const scaling = a.oneOf('scaling', SCALINGS, 'sqrt');
      const temperature = a.positiveNumber('temperature', 1);
      const mask = a.oneOf('mask', MASKS, 'none');
      const window = localWindow(a, mask);
      const wantWeights = a.boolean('weights', true);
      const wantScores = a.boolean('scores', false);
      const dropout = dropoutOption(a);
      const seed = a.seed('seed', 1);
      const h = heads === 1 ? '' : 'heads*';
      const sizes = { q: heads * nq * dk, k: heads * nk * dk, v: heads * nk * dv, output: heads * nq * dv };
      if (wantWeights || wantScores || dropout > 0) sizes.weights = heads * nq * nk;
      if (wantScores) sizes.scores = heads * nq * nk;
      a.fits(sizes);
      const out = a.output('out', sizes.output, `${h}nq*dv`);
      const inputs = {
        q: a.array('q', sizes.q, `${h}nq*dk`),
        k: a.array('k', sizes.k, `${h}nk*dk`),
        v: a.array('v', sizes.v, `${h}nk*dv`),
      };
      return call('attention', sizes, inputs,
        (p) => (dropout > 0
          ? core.attentionDropout(p.q, p.k, p.v, heads, nq, nk, dk, dv, scaling, temperature, mask, window, dropout, seed,
            p.weights, p.scores ?? 0, p.output)
          : core.attention(p.q, p.k, p.v, heads, nq, nk, dk, dv, scaling, temperature, mask, window,
            p.weights ?? 0, p.scores ?? 0, p.output)),
        (read) => {
          const written = read('output', out); // into a plain view of `out`'s bytes, when given
          const result = { output: out === undefined ? written : a.options.out }; // the caller's own array
          if (wantWeights) result.weights = read('weights');
          if (wantScores) result.scores = read('scores');
          return result;
        });
    },

    /**
     * Multi-head attention over one sequence x (n x dModel). Q = x wq, K = x wk,
     * V = x wv (x wk when tieKV), each W dModel x dModel row-major; head h takes columns
     * [h*dh, (h+1)*dh), dh = dModel/heads, and computes softmax(Q_h K_h^T / sqrt(dh)) V_h;
     * the heads are concatenated and multiplied by wo. Returns { output (n x dModel),
     * weights (heads x n x n), headEntropy (heads x n, natural log), mixtureEntropy (n:
     * the entropy of the active heads' mean pattern), headOutputs (n x dModel: the
     * concatenation before wo), values (n x dModel: V) }; weights: false returns only
     * output (fused kernel).
     * headMask: one boolean per head (default all true); a head switched off still has
     * its weights computed but adds nothing to the output (a zero block in headOutputs)
     * and is left out of the mixture. heads: 1 is one head as wide as all of them.
     */
    multiHeadAttention(options) {
      const a = new ArgumentChecker('multiHeadAttention', options, MULTI_HEAD_OPTIONS);
      const n = a.size('n'), dModel = a.size('dModel'), heads = a.size('heads');
      if (dModel % heads !== 0) a.fail('dModel', `(${dModel}) must be divisible by heads (${heads})`);
      const mask = a.oneOf('mask', MASKS, 'none');
      const window = localWindow(a, mask);
      const tieKV = a.boolean('tieKV', false);
      const wantWeights = a.boolean('weights', true);
      const headMask = a.has('headMask') ? a.booleanArray('headMask', heads, 'one per head') : undefined;
      const dd = dModel * dModel;
      const sizes = { x: n * dModel, wq: dd, wk: dd, wo: dd, output: n * dModel };
      if (!tieKV) sizes.wv = dd;
      if (headMask) sizes.headMask = heads;
      if (wantWeights) {
        Object.assign(sizes, { weights: heads * n * n, headEntropy: heads * n, mixtureEntropy: n,
          headOutputs: n * dModel, values: n * dModel });
      }
      a.fits({ ...sizes, projections: 4 * n * dModel }, `n (${n}) with dModel (${dModel})`);
      const inputs = {
        x: a.array('x', n * dModel, 'n*dModel'),
        wq: a.array('wq', dd, 'dModel*dModel'),
        wk: a.array('wk', dd, 'dModel*dModel'),
        wo: a.array('wo', dd, 'dModel*dModel'),
      };
      if (!tieKV) inputs.wv = a.array('wv', dd, 'dModel*dModel');
      if (headMask) inputs.headMask = headMask;
      return call('multiHeadAttention', sizes, inputs,
        (p) => core.multiHeadAttention(p.x, n, dModel, heads, p.wq, p.wk, p.wv ?? 0, p.wo, mask,
          window, tieKV, p.headMask ?? 0, p.output, p.weights ?? 0, p.headEntropy ?? 0,
          p.mixtureEntropy ?? 0, p.headOutputs ?? 0, p.values ?? 0),
        (read) => (wantWeights
          ? {
            output: read('output'), weights: read('weights'), headEntropy: read('headEntropy'),
            mixtureEntropy: read('mixtureEntropy'), headOutputs: read('headOutputs'), values: read('values'),
          }
          : { output: read('output') }));
    },

    /** Entropy (natural log) of each row of weights (rows x cols): 0 one-hot, log(cols) uniform. */
    entropy(options) {
      return rowStatistic('entropy', options);
    },

    /** exp(entropy) of each row: how many keys a row effectively attends to. */
    effectiveTokens(options) {
      return rowStatistic('effectiveTokens', options);
    },

    /** The largest weight of each row. */
    maxWeight(options) {
      return rowStatistic('maxWeight', options);
    },

    /**
     * Entropy of the heads' average pattern, per row: weights is heads x rows x cols.
     * Compare with each head's own entropy to see specialised heads cover many tokens.
     */
    mixtureEntropy(options) {
      return rowStatistic('mixtureEntropy', options);
    },

    /** Population variance of an array of numbers (e.g. attention scores). */
    variance(options) {
      const a = new ArgumentChecker('variance', options, ['values']);
      const values = a.array('values');
      const count = values.length;
      a.fits({ values: count });
      // The core writes one double: two floats' room, read back as a Float64Array.
      return call('variance', { values: count, result: 2 }, { values },
        (p) => core.variance(p.values, count, p.result),
        (read) => new Float64Array(read('result').buffer)[0]);
    },

    /** count standard normal samples from seed (an integer): the same in Node, browser and native C++. */
    randomNormal(options) {
      const a = new ArgumentChecker('randomNormal', options, ['seed', 'count']);
      const seed = a.seed('seed');
      if (seed === undefined) a.fail('seed', 'is required (a non-negative integer)');
      const count = a.size('count');
      a.fits({ count });
      return call('randomNormal', { out: count }, {},
        (p) => { core.randomNormal(seed, count, p.out); return ''; },
        (read) => read('out'));
    },

    /**
     * Why 1/sqrt(dk): draws `samples` independent pairs q, k of vectors with N(0, 1)
     * components and `samples / keys` softmax rows of `keys` keys sharing one query, scales
     * logits by 1 ('none'), 1/sqrt(dk) ('sqrt') or 1/|k| ('l2'), and reports the variance of
     * q . k over the pairs (about dk unscaled, 1 scaled), the mean largest softmax weight
     * and entropy per row, and the mean size
     * (Frobenius norm) of the softmax Jacobian, which vanishes as the softmax saturates;
     * plus the first row's logits and weights. Seeded: the same numbers everywhere.
     */
    scalingExperiment(options) {
      const a = new ArgumentChecker('scalingExperiment', options, ['dk', 'samples', 'keys', 'seed', 'scaling']);
      const dk = a.size('dk');
      const keys = a.count('keys', 16);
      if (keys < 2 || keys > MAX_EXPERIMENT_KEYS) a.fail('keys', `must be an integer from 2 to ${MAX_EXPERIMENT_KEYS}, got ${keys}`);
      const samples = a.count('samples', 20000);
      if (samples < keys) a.fail('samples', `must be at least keys (${keys}), got ${samples}`);
      const seed = a.seed('seed', 1);
      const scaling = a.oneOf('scaling', SCALINGS, 'none');
      if (samples * dk * (2 + 1 / keys) > 2 ** 31) a.fail('samples', `* dk is too much work for one call (${samples} x ${dk})`);
      a.fits({ out: 4 + 2 * keys });
      return call('scalingExperiment', { out: 4 + 2 * keys }, {},
        (p) => core.scalingExperiment(dk, samples, keys, seed, scaling, p.out),
        (read) => {
          const out = read('out');
          return {
            logitVariance: out[0], meanMaxWeight: out[1], meanEntropy: out[2], meanGradientNorm: out[3],
            logits: out.slice(4, 4 + keys), weights: out.slice(4 + keys),
          };
        });
    },

    /** Bytes of scratch memory the core's last attention call worked in (inputs and outputs excluded). */
    lastScratchBytes() {
      return core.lastScratchBytes();
    },

    /**
     * Bytes of scratch memory the core keeps between calls, for the next call to reuse:
     * at most 16 MiB (a call that needed more gives it back when it ends).
     */
    retainedScratchBytes() {
      return core.retainedScratchBytes();
    },
  };

  function rowStatistic(name, options) {
    const a = new ArgumentChecker(name, options, ['weights', 'heads', 'rows', 'cols']);
    const heads = name === 'mixtureEntropy' ? a.size('heads') : a.size('heads', 1);
    const rows = a.size('rows'), cols = a.size('cols');
    const outCount = name === 'mixtureEntropy' ? rows : heads * rows;
    const shape = heads === 1 && name !== 'mixtureEntropy' ? 'rows*cols' : 'heads*rows*cols';
    a.fits({ weights: heads * rows * cols, out: outCount });
    const weights = a.array('weights', heads * rows * cols, shape);
    return call(name, { weights: heads * rows * cols, out: outCount }, { weights },
      (p) => core.rowStatistic(name, p.weights, heads, rows, cols, p.out),
      (read) => read('out'));
  }

  // The parts of the API that live in files of their own: each exports a function of
  // (core, call) that returns its methods.
  for (const part of apiParts) Object.assign(lab, part(core, call));
  return lab;
}
