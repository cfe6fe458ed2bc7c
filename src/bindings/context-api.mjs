// The context lesson's part of the API: how far each kind of reader can look, and the
// best alignment a reader that never goes back can make. The core computes; this file
// checks the options (src/bindings/arguments.mjs) and crosses into it.
//
// Readers and the options each takes (every other reader option is refused, naming it,
// so a 'window' given to a convolution never silently does nothing):
//   conv    layers (default 1), kernel (odd, default 3)
//   rnn     hidden (default 16), spectralNorm (default 0.9)
//   local   layers (default 1), window (default 1)
//   global  none: one layer, no mask
// All take n, position (required) and seed (default 1).

import { ArgumentChecker, MAX_INTEGER } from './arguments.mjs';

const READERS = ['conv', 'rnn', 'local', 'global'];

/** The options of each reader, besides n, position and seed. */
const READER_OPTIONS = {
  conv: ['layers', 'kernel'],
  rnn: ['hidden', 'spectralNorm'],
  local: ['layers', 'window'],
  global: [],
};

const WHAT_READER_IS = {
  conv: 'a stack of convolutions',
  rnn: 'a recurrent network',
  local: 'layers of masked attention',
  global: 'one layer of attention with no mask',
};

const INFLUENCE_OPTIONS = ['reader', 'n', 'position', 'layers', 'kernel', 'window', 'hidden', 'spectralNorm', 'seed'];

export default function contextApi(core, call) {
  const limits = Object.freeze(core.influenceLimits());

  /** Reads `reader` and refuses every option of other readers that the call was given. */
  function readReader(a, names) {
    if (!a.has('reader')) a.fail('reader', `is required (one of ${READERS.map((r) => `'${r}'`).join(', ')})`);
    const index = a.oneOf('reader', READERS);
    const reader = READERS[index];
    for (const name of names) {
      if (a.has(name) && !READER_OPTIONS[reader].includes(name)) {
        const owners = READERS.filter((r) => READER_OPTIONS[r].includes(name)).map((r) => `'${r}'`).join(' and ');
        const own = READER_OPTIONS[reader].length ? READER_OPTIONS[reader].join(', ') : 'none besides n, position and seed';
        a.fail(name, `does not apply to reader '${reader}' (${WHAT_READER_IS[reader]}); it is an option of ${owners}. `
          + `The options of '${reader}': ${own}`);
      }
    }
    return { reader, index };
  }

  function readKernel(a) {
    const kernel = a.integerIn('kernel', 1, limits.maxKernel, 3);
    if (kernel % 2 === 0) a.fail('kernel', `must be odd (a centred window: the token and (kernel - 1) / 2 on each side), got ${kernel}`);
    return kernel;
  }

  /** Every option of influence and receptiveField, checked; defaults for the reader's own. */
  function readSpec(fn, options) {
    const a = new ArgumentChecker(fn, options, INFLUENCE_OPTIONS);
    const { reader, index } = readReader(a, INFLUENCE_OPTIONS.slice(3, 8));
    const n = a.integerIn('n', 1, limits.maxN);
    const position = a.integerIn('position', 0, n - 1);
    const layered = reader === 'conv' || reader === 'local';
    return {
      reader,
      index,
      n,
      position,
      layers: layered ? a.integerIn('layers', 1, limits.maxLayers, 1) : 1,
      kernel: reader === 'conv' ? readKernel(a) : 1,
      window: reader === 'local' ? a.integerIn('window', 0, limits.maxWindow, 1) : 0,
      hidden: reader === 'rnn' ? a.integerIn('hidden', 1, limits.maxHidden, 16) : 1,
      spectralNorm: reader === 'rnn' ? a.numberIn('spectralNorm', 0, limits.maxSpectralNorm, 0.9) : 0,
      seed: a.seed('seed', 1),
    };
  }

  return {
    /**
     * Limits of influence and receptiveField (maxN, maxLayers, maxKernel, maxWindow,
     * maxHidden, maxSpectralNorm), and tokenDim, the length of every token vector.
     */
    influenceLimits: limits,

    /**
     * How strongly each input token can change one output of a reader: entry j is the size
     * (Frobenius norm) of the Jacobian d y_position / d x_j, computed exactly by backward
     * mode in the core. 0 means token j cannot reach the output at all.
     *
     * The tokens are n random vectors of tokenDim (8) numbers, the first n * 8 of
     * randomNormal({ seed }), so every reader given the same seed reads the same sentence;
     * the reader's weights are random too, drawn from the same seed.
     * reader: 'conv' (layers of centred convolutions of odd width kernel, each then tanh),
     * 'rnn' (a tanh RNN with hidden units whose recurrent matrix has every singular value
     * spectralNorm; the output at position is its state after tokens 0..position),
     * 'local' (layers of self-attention that sees |i - j| <= window), 'global' (one layer
     * of self-attention that sees everything). Returns a Float32Array(n).
     */
    influence(options) {
      const s = readSpec('influence', options);
      return call('influence', { out: s.n }, {},
        (p) => core.influence(s.index, s.n, s.position, s.layers, s.kernel, s.window, s.hidden,
          s.spectralNorm, s.seed, p.out),
        (read) => read('out'));
    },

    /**
     * The tokens the reader's output at position can see at all, as { first, last }
     * (inclusive): influence is exactly 0 outside. conv: position +- layers (kernel - 1) / 2;
     * local: position +- layers window; global: everything; rnn: 0..position. Takes the
     * same options as influence (those the field does not depend on are checked too).
     */
    receptiveField(options) {
      const s = readSpec('receptiveField', options);
      return call('receptiveField', { out: 2 }, {},
        (p) => core.receptiveField(s.index, s.n, s.position, s.layers, s.kernel, s.window, p.out),
        (read) => {
          const [first, last] = read.int32('out');
          return { first, last };
        });
    },

    /**
     * How many layers (conv, local, global) or state updates (rnn) it takes before a
     * token `distance` positions before the output (after it, if negative) can influence it:
     * conv ceil(|distance| / ((kernel - 1) / 2)), local ceil(|distance| / window), at least
     * 1; global always 1; rnn distance + 1 (the token is read, then carried through
     * distance more updates). Infinity when no depth ever connects them: kernel 1 or
     * window 0 with distance != 0, or an rnn and a later token.
     */
    pathLength(options) {
      const a = new ArgumentChecker('pathLength', options, ['reader', 'distance', 'kernel', 'window']);
      const { reader, index } = readReader(a, ['kernel', 'window']);
      const distance = a.integerIn('distance', -MAX_INTEGER, MAX_INTEGER);
      const kernel = reader === 'conv' ? readKernel(a) : 1;
      const window = reader === 'local' ? a.integerIn('window', 0, limits.maxWindow, 1) : 0;
      return core.pathLength(index, distance, kernel, window);
    },

    /**
     * The best alignment that never goes back, as a CTC-style model must: scores is
     * rows x cols (row i a target token, column j a source token, how well they match);
     * path[i] is the source token target i takes, path[i] <= path[i + 1], chosen to
     * maximise total = sum_i scores[i][path[i]] (dynamic programming, O(rows cols)). Of
     * equally good paths, the one that takes the leftmost column first. misaligned lists
     * the target rows where the path had to settle for less than the row's best score:
     * the words a monotonic alignment gets wrong when the word order crosses.
     * Returns { path: Int32Array(rows), total, misaligned: Int32Array }.
     */
    monotonicAlignment(options) {
      const a = new ArgumentChecker('monotonicAlignment', options, ['scores', 'rows', 'cols']);
      const rows = a.size('rows'), cols = a.size('cols');
      a.fits({ scores: rows * cols, table: rows * cols, bestRows: 4 * cols, path: rows, misaligned: rows },
        `rows * cols (${rows} x ${cols})`);
      const scores = a.array('scores', rows * cols, 'rows*cols');
      let total, count;
      return call('monotonicAlignment', { scores: rows * cols, path: rows, misaligned: rows }, { scores },
        (p) => {
          const result = core.monotonicAlignment(p.scores, rows, cols, p.path, p.misaligned);
          total = result.total;
          count = result.misaligned;
          return result.error;
        },
        (read) => ({ path: read.int32('path'), total, misaligned: read.int32('misaligned').slice(0, count) }));
    },
  };
}
