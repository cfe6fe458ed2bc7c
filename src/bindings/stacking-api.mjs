// Lesson 5, stacking layers: pointer chasing, where one attention layer is one hop.
//
// pointerChase runs the construction of src/pointer_chase.hpp on the learner's pointers;
// pointerChaseAccuracy averages its accuracy over many random pointer arrays (for plots
// against hops, sharpness or code length); randomPointers draws the arrays it uses.

import { ArgumentChecker } from './arguments.mjs';

/** The core's bounds (src/pointer_chase.hpp, pointer_chase_limits): checked here first. */
export const POINTER_CHASE_LIMITS = Object.freeze({
  positions: 1024, layers: 64, dim: 1024, trials: 10000, work: 2 ** 28,
});
const FLOAT32_MAX = 3.4028234663852886e38;

function sharpnessOf(a) {
  const sharpness = a.positiveNumber('sharpness', 100);
  if (sharpness > FLOAT32_MAX) a.fail('sharpness', `must be at most ${FLOAT32_MAX} (the largest float32), got ${sharpness}`);
  return sharpness;
}

/** dim: absent (one-hot) or an integer from 1 to the limit; 0 tells the core "one-hot". */
function dimOf(a) {
  return a.has('dim') ? a.integerIn('dim', 1, POINTER_CHASE_LIMITS.dim) : 0;
}

const codeLength = (n, dim) => (dim > 0 && dim < n ? dim : n);

export default function stackingApi(core, call) {
  return {
    /**
     * Pointer chasing with stacked attention layers: position i points at pointers[i];
     * each position has a code (one-hot, or with dim < n a random unit vector of length
     * dim drawn from seed). Each layer is one hop: keys = codes x sharpness, values =
     * the code of each position's target, query = where the chase stands (layer l's
     * output is layer l + 1's query; the first query is the start's own code).
     * Returns { positions (layers x n, Int32Array: the nearest code to each layer's
     * output, ties to the lowest index), weights (layers x n x n), outputs (layers x n x
     * codeLength), codes (n x codeLength), codeLength, targets (max(layers, hops) x n,
     * Int32Array: pointers applied t + 1 times), accuracy (layers: fraction of starts at
     * pointers^(l+1) after layer l + 1), answerAccuracy (fraction of starts whose last
     * position is pointers^hops, the question's answer) }.
     */
    pointerChase(options) {
      const a = new ArgumentChecker('pointerChase', options, ['pointers', 'layers', 'hops', 'sharpness', 'dim', 'seed']);
      const pointers = a.integerArray('pointers', 0, (length) => length - 1, {
        maxLength: POINTER_CHASE_LIMITS.positions, noun: 'a position',
      });
      const n = pointers.length;
      const layers = a.integerIn('layers', 1, POINTER_CHASE_LIMITS.layers, 1);
      const hops = a.integerIn('hops', 1, POINTER_CHASE_LIMITS.layers, layers);
      const sharpness = sharpnessOf(a);
      const dim = dimOf(a);
      const seed = a.seed('seed', 1);
      const d = codeLength(n, dim);
      const work = layers * n * n * d;
      if (work > POINTER_CHASE_LIMITS.work) {
        a.fail('layers', `x n^2 x code length = ${layers} x ${n}^2 x ${d} is too much work for one call (at most 2^28)`);
      }
      const sizes = {
        pointers: n, positions: layers * n, weights: layers * n * n, outputs: layers * n * d, codes: n * d,
        targets: Math.max(layers, hops) * n, accuracy: layers + 1,
      };
      a.fits(sizes);
      return call('pointerChase', sizes, { pointers },
        (p) => core.pointerChase(p.pointers, n, layers, hops, sharpness, dim, seed, p.positions, p.weights,
          p.outputs, p.codes, p.targets, p.accuracy),
        (read) => {
          const accuracy = read('accuracy');
          return {
            positions: read.int32('positions'), weights: read('weights'), outputs: read('outputs'),
            codes: read('codes'), codeLength: d, targets: read.int32('targets'),
            accuracy: accuracy.slice(0, layers), answerAccuracy: accuracy[layers],
          };
        });
    },

    /**
     * The chase's accuracy after each layer, averaged over `trials` random pointer arrays
     * of n positions: trial t chases randomPointers({ n, seed: seed + t }) with codes
     * from seed + t, exactly as pointerChase would. Returns { accuracy (layers: the mean
     * fraction of starts at the true (l+1)-hop target), standardError (layers: the
     * standard deviation over trials / sqrt(trials); 0 for one trial) }.
     */
    pointerChaseAccuracy(options) {
      const a = new ArgumentChecker('pointerChaseAccuracy', options, ['n', 'layers', 'sharpness', 'dim', 'trials', 'seed']);
      const n = a.integerIn('n', 1, POINTER_CHASE_LIMITS.positions);
      const layers = a.integerIn('layers', 1, POINTER_CHASE_LIMITS.layers, 1);
      const sharpness = sharpnessOf(a);
      const dim = dimOf(a);
      const trials = a.integerIn('trials', 1, POINTER_CHASE_LIMITS.trials, 20);
      const seed = a.seed('seed', 1);
      if (trials - 1 > Number.MAX_SAFE_INTEGER - seed) a.fail('seed', `+ trials - 1 must be at most 2^53 - 1, got ${seed} + ${trials} - 1`);
      const work = trials * layers * n * n * codeLength(n, dim);
      if (work > POINTER_CHASE_LIMITS.work) {
        a.fail('trials', `x layers x n^2 x code length = ${trials} x ${layers} x ${n}^2 x ${codeLength(n, dim)} is too much work for one call (at most 2^28)`);
      }
      return call('pointerChaseAccuracy', { mean: layers, standardError: layers }, {},
        (p) => core.pointerChaseAccuracy(n, layers, sharpness, dim, trials, seed, p.mean, p.standardError),
        (read) => ({ accuracy: read('mean'), standardError: read('standardError') }));
    },

    /**
     * n pointers drawn uniformly from 0 to n - 1 (several may point at one position) from
     * seed: the same array in Node, in the browser and in native C++.
     */
    randomPointers(options) {
      const a = new ArgumentChecker('randomPointers', options, ['n', 'seed']);
      const n = a.integerIn('n', 1, POINTER_CHASE_LIMITS.positions);
      const seed = a.seed('seed');
      if (seed === undefined) a.fail('seed', 'is required (a non-negative integer)');
      return call('randomPointers', { out: n }, {},
        (p) => core.randomPointers(n, seed, p.out),
        (read) => read.int32('out'));
    },
  };
}
