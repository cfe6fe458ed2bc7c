// Types for the attention-lab package: both entries (attention-lab.mjs for browsers and
// bundlers, node.mjs for Node) export the same API, built by makeLab in lab.mjs.
//
//   import createAttentionLab from 'attention-lab';
//   const lab = await createAttentionLab();
//   const { output, weights } = lab.attention({ q, k, v, nq: 2, nk: 3, dk: 4, dv: 4 });
//
// Matrices are flat, row-major arrays; every result is a fresh Float32Array the caller
// owns. A bad argument throws an Error that names it, and leaves the lab usable.

/**
 * An input array of numbers: a Float32Array (copied into the core as is), a Float64Array
 * or a plain array (rounded to float32). Every element must be a finite number that fits
 * in float32.
 */
export type NumberArray = Float32Array | Float64Array | readonly number[];

/** Which build of the core: with WebAssembly SIMD (the default) or without (for comparisons). */
export type Variant = 'simd' | 'scalar';

/**
 * How logits are scaled before the softmax: by 1/sqrt(dk) ('sqrt'), not at all ('none'),
 * or by 1/|k| ('l2': keys scaled to unit length).
 */
export type Scaling = 'sqrt' | 'none' | 'l2';

/**
 * Which keys each query may see: all ('none'), keys j <= i ('causal'), or keys with
 * |i - j| <= window ('local', which needs `window`). A query that sees no key gets a zero
 * output row and zero weights.
 */
export type Mask = 'none' | 'causal' | 'local';

/**
 * `mask` and `window`: `window` is required with `mask: 'local'` and ignored otherwise.
 * (The default member comes last: TypeScript explains a mismatch against the last one.)
 */
export type MaskOptions =
  | {
      /** Query i sees keys j with |i - j| <= window. */
      mask: 'local';
      /** Half-width of the local band (a non-negative integer). */
      window: number;
    }
  | {
      /** Which keys each query sees; default 'none'. */
      mask?: 'none' | 'causal';
      /** Ignored unless mask is 'local'. */
      window?: number;
    };

/** Options of {@link AttentionLab.attention}. */
export type AttentionOptions = MaskOptions & {
  /** Queries, nq x dk, row-major. */
  q: NumberArray;
  /** Keys, nk x dk, row-major. */
  k: NumberArray;
  /** Values, nk x dv, row-major. */
  v: NumberArray;
  /** Number of queries (a positive integer). */
  nq: number;
  /** Number of keys and values (a positive integer). */
  nk: number;
  /** Dimension of queries and keys (a positive integer). */
  dk: number;
  /** Dimension of values (a positive integer). */
  dv: number;
  /**
   * Independent attentions in one call (default 1): every array then holds `heads` blocks
   * one after the other (q: heads x nq x dk, output: heads x nq x dv, ...).
   */
  heads?: number;
  /** A Float32Array of the output's size (heads x nq x dv) to write the output into and return, instead of a new one. */
  out?: Float32Array;
  /** Logit scaling; default 'sqrt'. */
  scaling?: Scaling;
  /** Logits are divided by it: > 1 flattens the softmax, < 1 sharpens it; default 1. */
  temperature?: number;
  /** Return the attention weights (default true); false runs the fused kernel and returns none. */
  weights?: boolean;
  /** Return the logits before the softmax (-Infinity where masked); default false. */
  scores?: boolean;
};

/** What {@link AttentionLab.attention} always returns. */
export interface AttentionOutput {
  /** nq x dv: each query's blend of the value rows. */
  output: Float32Array;
}

/** Attention weights: returned unless `weights: false`. */
export interface AttentionWeights {
  /** nq x nk: the softmax of each query's logits; each visible row sums to 1. */
  weights: Float32Array;
}

/** Logits: returned with `scores: true`. */
export interface AttentionScores {
  /** nq x nk: the scaled logits, -Infinity where masked. */
  scores: Float32Array;
}

/** Options of {@link AttentionLab.multiHeadAttention}. */
export type MultiHeadOptions = MaskOptions & {
  /** The sequence, n x dModel, row-major. */
  x: NumberArray;
  /** Sequence length (a positive integer). */
  n: number;
  /** Model dimension (a positive integer, divisible by heads). */
  dModel: number;
  /** Number of heads (a positive integer); each works in dModel / heads dimensions. */
  heads: number;
  /** Query projection, dModel x dModel. */
  wq: NumberArray;
  /** Key projection, dModel x dModel. */
  wk: NumberArray;
  /** Output projection, dModel x dModel. */
  wo: NumberArray;
  /** Return weights and headEntropy (default true); false runs the fused kernel. */
  weights?: boolean;
} & (
    | {
        /** Use wk for the values as well (V = x wk): no wv needed. */
        tieKV: true;
        /** Ignored with tieKV. */
        wv?: NumberArray;
      }
    | {
        /** Separate value projection (the default). */
        tieKV?: false;
        /** Value projection, dModel x dModel. */
        wv: NumberArray;
      }
  );

/** What {@link AttentionLab.multiHeadAttention} returns with `weights: false`. */
export interface MultiHeadOutput {
  /** n x dModel: the heads concatenated and projected by wo. */
  output: Float32Array;
}

/** What {@link AttentionLab.multiHeadAttention} returns unless `weights: false`. */
export interface MultiHeadResult extends MultiHeadOutput {
  /** heads x n x n: each head's attention weights. */
  weights: Float32Array;
  /** heads x n: the entropy (natural log) of each head's weight rows. */
  headEntropy: Float32Array;
}

/** Options of the per-row statistics (entropy, effectiveTokens, maxWeight). */
export interface RowStatisticOptions {
  /** Attention weights, heads x rows x cols (rows x cols when heads is 1). */
  weights: NumberArray;
  /** Rows per head (a positive integer). */
  rows: number;
  /** Columns, i.e. keys (a positive integer). */
  cols: number;
  /** Number of stacked weight matrices (a positive integer); default 1. */
  heads?: number;
}

/** Options of {@link AttentionLab.mixtureEntropy}. */
export interface MixtureEntropyOptions {
  /** Attention weights of all heads, heads x rows x cols. */
  weights: NumberArray;
  /** Number of heads (a positive integer). */
  heads: number;
  /** Rows per head (a positive integer). */
  rows: number;
  /** Columns, i.e. keys (a positive integer). */
  cols: number;
}

/** Options of {@link AttentionLab.scalingExperiment}. */
export interface ScalingExperimentOptions {
  /** Dimension of the sampled queries and keys (a positive integer). */
  dk: number;
  /** Dot products drawn in all, in rows of `keys`; at least `keys`; default 20000. */
  samples?: number;
  /** Keys per softmax row (an integer >= 2); default 16. */
  keys?: number;
  /** Random seed (a non-negative integer); default 1. */
  seed?: number;
  /** Logit scaling; default 'none' (the unscaled dot product). */
  scaling?: Scaling;
}

/** What {@link AttentionLab.scalingExperiment} measures. */
export interface ScalingExperimentResult {
  /** Variance of all sampled logits: about dk unscaled, about 1 with 'sqrt'. */
  logitVariance: number;
  /** Mean over rows of the largest softmax weight (towards 1 as the softmax saturates). */
  meanMaxWeight: number;
  /** Mean row entropy, natural log (towards 0 as the softmax saturates). */
  meanEntropy: number;
  /** Mean Frobenius norm of the softmax Jacobian diag(p) - p p^T: the gradient that flows back. */
  meanGradientNorm: number;
  /** The first row's logits (`keys` values). */
  logits: Float32Array;
  /** The first row's softmax weights (`keys` values). */
  weights: Float32Array;
}

/** The attention core, instantiated: every method runs in WebAssembly. */
export interface AttentionLab {
  /** Which build of the core this lab runs. */
  readonly variant: Variant;
  /** True when the core's vector (WebAssembly SIMD) kernels are compiled in. */
  readonly simd: boolean;

  /**
   * Scaled dot-product attention. Each query row blends the value rows, weighted by the
   * softmax of its match with every key: logits = (q . k) * s / temperature, with
   * s = 1/sqrt(dk) ('sqrt'), 1 ('none') or 1/|k| ('l2'). Masks hide keys.
   *
   * Returns `{ output }` (nq x dv), plus `weights` (nq x nk) unless `weights: false`
   * (the fused kernel), plus `scores` (the logits) with `scores: true`.
   */
  attention(options: AttentionOptions & { weights: false; scores?: false }): AttentionOutput;
  attention(options: AttentionOptions & { weights: false; scores: true }): AttentionOutput & AttentionScores;
  attention(options: AttentionOptions & { weights?: true; scores: true }): AttentionOutput & AttentionWeights & AttentionScores;
  attention(options: AttentionOptions & { weights?: true; scores?: false }): AttentionOutput & AttentionWeights;
  attention(options: AttentionOptions): AttentionOutput & Partial<AttentionWeights & AttentionScores>;

  /**
   * Multi-head attention over one sequence x (n x dModel): Q = x wq, K = x wk, V = x wv
   * (x wk when tieKV); head h takes columns [h*dh, (h+1)*dh), dh = dModel / heads, and
   * computes softmax(Q_h K_h^T / sqrt(dh)) V_h; the heads are concatenated and multiplied
   * by wo. Returns `{ output, weights, headEntropy }`, or just `{ output }` with
   * `weights: false` (the fused kernel).
   */
  multiHeadAttention(options: MultiHeadOptions & { weights: false }): MultiHeadOutput;
  multiHeadAttention(options: MultiHeadOptions & { weights?: true }): MultiHeadResult;
  multiHeadAttention(options: MultiHeadOptions): MultiHeadOutput & Partial<MultiHeadResult>;

  /** Entropy (natural log) of each row of weights: 0 one-hot, log(cols) uniform. heads*rows values. */
  entropy(options: RowStatisticOptions): Float32Array;

  /** exp(entropy) of each row: how many keys a row effectively attends to. heads*rows values. */
  effectiveTokens(options: RowStatisticOptions): Float32Array;

  /** The largest weight of each row. heads*rows values. */
  maxWeight(options: RowStatisticOptions): Float32Array;

  /**
   * Entropy of the heads' average pattern, per row (rows values): compare with each head's
   * own entropy to see specialised heads together cover many tokens.
   */
  mixtureEntropy(options: MixtureEntropyOptions): Float32Array;

  /** Population variance of a non-empty array of numbers (e.g. attention scores). */
  variance(options: { values: NumberArray }): number;

  /**
   * `count` standard normal samples from `seed` (a non-negative integer): the same
   * numbers in Node, in the browser and in native C++.
   */
  randomNormal(options: { seed: number; count: number }): Float32Array;

  /**
   * Why 1/sqrt(dk): draws `samples` dot products q . k of vectors with N(0, 1) components
   * (in rows of `keys` keys per query), scaled as `scaling` says, and reports the logits'
   * variance, the mean largest softmax weight and entropy per row, and the mean size of
   * the softmax Jacobian, plus the first row's logits and weights. Seeded: the same
   * numbers everywhere.
   */
  scalingExperiment(options: ScalingExperimentOptions): ScalingExperimentResult;

  /** Bytes of scratch memory the core's last attention call worked in (inputs and outputs excluded). */
  lastScratchBytes(): number;

  /**
   * Projects every row of x (n x dIn) through w (dIn x dOut): x w, the step from word
   * vectors to queries, keys or values. With `heads` = h the columns come out as h blocks
   * of width dOut/h one after the other (h x n x dOut/h), the layout `attention` takes.
   */
  project(options: ProjectOptions): Float32Array;
}

/** Options of {@link AttentionLab.project}. */
export interface ProjectOptions {
  /** The rows to project, n x dIn, row-major. */
  x: NumberArray;
  /** The matrix, dIn x dOut, row-major. */
  w: NumberArray;
  /** Rows of x (a positive integer). */
  n: number;
  /** Columns of x and rows of w (a positive integer). */
  dIn: number;
  /** Columns of w (a positive integer, divisible by heads). */
  dOut: number;
  /** Column blocks of the result, stored one after the other (default 1). */
  heads?: number;
}

/** Options of {@link createAttentionLab}. */
export interface CreateAttentionLabOptions {
  /** 'simd' (default) or 'scalar', the build without SIMD. */
  variant?: Variant;
  /**
   * Where to load the .wasm from, for the browser entry (default: beside the module,
   * `new URL('./attention-core.wasm', import.meta.url)`, which bundlers follow). The Node
   * entry always reads the file shipped in the package and ignores it.
   */
  wasmUrl?: string | URL;
}

/** Instantiates the WASM core and resolves to the lab API. */
declare function createAttentionLab(options?: CreateAttentionLabOptions): Promise<AttentionLab>;

/**
 * Wraps an already instantiated Emscripten module (dist/attention-core.mjs) in the API;
 * createAttentionLab does this for you.
 */
export declare function makeLab(core: object, variant?: Variant): AttentionLab;

export default createAttentionLab;
export { createAttentionLab };
