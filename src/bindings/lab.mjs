// The JavaScript face of the attention core: typed arrays in, typed arrays out.
//
// makeLab wraps an instantiated Emscripten module (attention-core.mjs). Every call
// checks its arguments first and throws an Error that names the bad one; arrays are
// copied into the WASM heap, the core runs, results are copied out into fresh
// Float32Arrays the caller owns, and the heap memory is freed whatever happens, so a
// failed call leaves the lab working.

const SCALINGS = ['sqrt', 'none', 'l2'];
const MASKS = ['none', 'causal', 'local'];

// The heap is 2 GiB at most; refuse anything whose buffers alone would not fit in half.
const MAX_CALL_BYTES = 2 ** 30;

class ArgumentChecker {
  constructor(fn, options) {
    this.fn = fn;
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new Error(`${fn}: expected one options object, got ${describe(options)}`);
    }
    this.options = options;
  }

  fail(name, message) {
    throw new Error(`${this.fn}: ${name} ${message}`);
  }

  /** A positive safe integer (a size). */
  size(name) {
    const x = this.options[name];
    if (x === undefined) this.fail(name, 'is required (a positive integer)');
    if (!Number.isSafeInteger(x) || x <= 0) this.fail(name, `must be a positive integer, got ${describe(x)}`);
    return x;
  }

  /** A non-negative integer, or `fallback` when absent. */
  count(name, fallback) {
    const x = this.options[name];
    if (x === undefined) {
      if (fallback === undefined) this.fail(name, 'is required (a non-negative integer)');
      return fallback;
    }
    if (!Number.isSafeInteger(x) || x < 0) this.fail(name, `must be a non-negative integer, got ${describe(x)}`);
    return x;
  }

  /** An array-like of `length` finite numbers (Float32Array, Float64Array, Array). */
  array(name, length, shapeText) {
    const a = this.options[name];
    if (a === undefined) this.fail(name, `is required (${shapeText} = ${length} numbers)`);
    if (!(ArrayBuffer.isView(a) && !(a instanceof DataView)) && !Array.isArray(a)) {
      this.fail(name, `must be a Float32Array or an array of numbers, got ${describe(a)}`);
    }
    if (a.length !== length) this.fail(name, `must have ${shapeText} = ${length} elements, got ${a.length}`);
    // A Float32Array holds only numbers; the core checks them for NaN and infinity once
    // they are copied in (see call), much faster than a loop here.
    if (a instanceof Float32Array) return a;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        this.fail(`${name}[${i}]`, `must be a finite number, got ${describe(x)}`);
      }
      if (Math.abs(x) > 3.4028234663852886e38) this.fail(`${name}[${i}]`, `= ${x} does not fit in float32`);
    }
    return a;
  }

  oneOf(name, choices, fallback) {
    const x = this.options[name] ?? fallback;
    const i = choices.indexOf(x);
    if (i < 0) this.fail(name, `must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describe(x)}`);
    return i;
  }

  boolean(name, fallback) {
    const x = this.options[name] ?? fallback;
    if (typeof x !== 'boolean') this.fail(name, `must be true or false, got ${describe(x)}`);
    return x;
  }

  positiveNumber(name, fallback) {
    const x = this.options[name] ?? fallback;
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) {
      this.fail(name, `must be a finite number > 0, got ${describe(x)}`);
    }
    if (Math.fround(x) === 0) this.fail(name, `${x} is too small for float32`);
    return x;
  }

  /**
   * Throws if the buffers of one call (counts in floats) would not fit in the heap,
   * blaming `culprit`, or else the largest buffer.
   */
  fits(floatCounts, culprit) {
    const total = Object.values(floatCounts).reduce((a, b) => a + b, 0) * 4;
    if (total > MAX_CALL_BYTES) {
      const blamed = culprit ?? Object.entries(floatCounts).sort((a, b) => b[1] - a[1])[0][0];
      this.fail(blamed, `too large: this call needs ${(total / 2 ** 30).toFixed(2)} GiB; at most 1 GiB fits in WebAssembly memory`);
    }
  }
}

function describe(x) {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name}`;
  if (typeof x === 'string') return `'${x}'`;
  if (typeof x === 'object') return 'an object';
  return String(x);
}

/**
 * Wraps an instantiated attention-core module in the public API.
 * @param core the resolved Emscripten module
 * @param variant 'simd' or 'scalar', reported as lab.variant
 */
export function makeLab(core, variant = 'simd') {
  // One call into the core: allocate every buffer, copy the inputs in, `run` (which
  // returns "" or an error message), then `collect(read)` copies the outputs out while
  // the buffers are alive; everything is freed whatever happens.
  function call(fn, sizes, inputs, run, collect) {
    const pointers = {};
    try {
      for (const [name, count] of Object.entries(sizes)) {
        const p = core._malloc(Math.max(1, count) * 4);
        if (!p) throw new Error(`${fn}: out of memory allocating ${name} (${count} floats)`);
        pointers[name] = p;
      }
      const heap = core.HEAPF32; // views go stale when the heap grows: take them after allocating
      for (const [name, array] of Object.entries(inputs)) {
        heap.set(array, pointers[name] >> 2);
        const bad = core.firstNonFinite(pointers[name], array.length);
        if (bad < array.length) throw new Error(`${fn}: ${name}[${bad}] must be a finite number, got ${array[bad]}`);
      }
      const error = run(pointers);
      if (error) throw new Error(`${fn}: ${error}`);
      const out = core.HEAPF32; // the call itself may have grown the heap
      // Copy out into `target` if given, else a new array (faster than slice() of the heap).
      return collect((name, target = new Float32Array(sizes[name])) => {
        target.set(out.subarray(pointers[name] >> 2, (pointers[name] >> 2) + sizes[name]));
        return target;
      });
    } finally {
      for (const p of Object.values(pointers)) core._free(p);
    }
  }

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
     * A query that sees no key gets a zero output row and zero weights.
     *
     * q: nq x dk, k: nk x dk, v: nk x dv, row-major. Returns { output (nq x dv),
     * weights (nq x nk, unless weights: false, which runs the fused kernel),
     * scores (nq x nk logits, -Infinity where masked, when scores: true) }.
     * With heads = h, every array holds h such blocks one after the other (q: h x nq x dk,
     * output: h x nq x dv, ...): h independent attentions in one call.
     * `out`: a Float32Array of the output's size to write the output into (and return as
     * `output`) instead of allocating a new one; useful in loops.
     */
    attention(options) {
      const a = new ArgumentChecker('attention', options);
      const nq = a.size('nq'), nk = a.size('nk'), dk = a.size('dk'), dv = a.size('dv');
      const heads = options.heads === undefined ? 1 : a.size('heads');
      const scaling = a.oneOf('scaling', SCALINGS, 'sqrt');
      const temperature = a.positiveNumber('temperature', 1);
      const mask = a.oneOf('mask', MASKS, 'none');
      const window = mask === MASKS.indexOf('local') ? a.count('window') : a.count('window', 0);
      const wantWeights = a.boolean('weights', true);
      const wantScores = a.boolean('scores', false);
      const h = heads === 1 ? '' : 'heads*';
      const sizes = { q: heads * nq * dk, k: heads * nk * dk, v: heads * nk * dv, output: heads * nq * dv };
      if (wantWeights || wantScores) sizes.weights = heads * nq * nk;
      if (wantScores) sizes.scores = heads * nq * nk;
      a.fits(sizes);
      const out = options.out;
      if (out !== undefined && !(out instanceof Float32Array && out.length === sizes.output)) {
        a.fail('out', `must be a Float32Array of ${h}nq*dv = ${sizes.output} elements, got ${describe(out)}${out?.length !== undefined ? ` of length ${out.length}` : ''}`);
      }
      const inputs = {
        q: a.array('q', sizes.q, `${h}nq*dk`),
        k: a.array('k', sizes.k, `${h}nk*dk`),
        v: a.array('v', sizes.v, `${h}nk*dv`),
      };
      return call('attention', sizes, inputs,
        (p) => core.attention(p.q, p.k, p.v, heads, nq, nk, dk, dv, scaling, temperature, mask, window,
          p.weights ?? 0, p.scores ?? 0, p.output),
        (read) => {
          const result = { output: read('output', out) };
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
     * weights (heads x n x n), headEntropy (heads x n, natural log) }; weights: false
     * skips both (fused kernel).
     */
    multiHeadAttention(options) {
      const a = new ArgumentChecker('multiHeadAttention', options);
      const n = a.size('n'), dModel = a.size('dModel'), heads = a.size('heads');
      if (dModel % heads !== 0) a.fail('dModel', `(${dModel}) must be divisible by heads (${heads})`);
      const mask = a.oneOf('mask', MASKS, 'none');
      const window = mask === MASKS.indexOf('local') ? a.count('window') : a.count('window', 0);
      const tieKV = a.boolean('tieKV', false);
      const wantWeights = a.boolean('weights', true);
      const dd = dModel * dModel;
      const sizes = { x: n * dModel, wq: dd, wk: dd, wo: dd, output: n * dModel };
      if (!tieKV) sizes.wv = dd;
      if (wantWeights) Object.assign(sizes, { weights: heads * n * n, headEntropy: heads * n });
      a.fits({ ...sizes, projections: 4 * n * dModel }, `n (${n}) with dModel (${dModel})`);
      const inputs = {
        x: a.array('x', n * dModel, 'n*dModel'),
        wq: a.array('wq', dd, 'dModel*dModel'),
        wk: a.array('wk', dd, 'dModel*dModel'),
        wo: a.array('wo', dd, 'dModel*dModel'),
      };
      if (!tieKV) inputs.wv = a.array('wv', dd, 'dModel*dModel');
      return call('multiHeadAttention', sizes, inputs,
        (p) => core.multiHeadAttention(p.x, n, dModel, heads, p.wq, p.wk, p.wv ?? 0, p.wo, mask,
          window, tieKV, p.output, p.weights ?? 0, p.headEntropy ?? 0),
        (read) => (wantWeights
          ? { output: read('output'), weights: read('weights'), headEntropy: read('headEntropy') }
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
      const a = new ArgumentChecker('variance', options);
      const values = a.options.values;
      const count = values?.length;
      if (!Number.isSafeInteger(count) || count <= 0) a.fail('values', `must be a non-empty array of numbers, got ${describe(values)}`);
      const checked = a.array('values', count, 'values.length');
      let result;
      call('variance', { values: count }, { values: checked },
        (p) => { result = core.variance(p.values, count); return ''; }, () => {});
      return result;
    },

    /** count standard normal samples from seed (an integer): the same in Node, browser and native C++. */
    randomNormal(options) {
      const a = new ArgumentChecker('randomNormal', options);
      const seed = a.count('seed');
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
      const a = new ArgumentChecker('scalingExperiment', options);
      const dk = a.size('dk');
      const keys = a.count('keys', 16);
      if (keys < 2) a.fail('keys', `must be an integer >= 2, got ${keys}`);
      const samples = a.count('samples', 20000);
      if (samples < keys) a.fail('samples', `must be at least keys (${keys}), got ${samples}`);
      const seed = a.count('seed', 1);
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
  };

  function rowStatistic(name, options) {
    const a = new ArgumentChecker(name, options);
    const heads = name === 'mixtureEntropy' ? a.size('heads') : a.count('heads', 1);
    const rows = a.size('rows'), cols = a.size('cols');
    const outCount = name === 'mixtureEntropy' ? rows : heads * rows;
    const shape = heads === 1 && name !== 'mixtureEntropy' ? 'rows*cols' : 'heads*rows*cols';
    a.fits({ weights: heads * rows * cols, out: outCount });
    const weights = a.array('weights', heads * rows * cols, shape);
    return call(name, { weights: heads * rows * cols, out: outCount }, { weights },
      (p) => core.rowStatistic(name, p.weights, heads, rows, cols, p.out),
      (read) => read('out'));
  }

  return lab;
}
