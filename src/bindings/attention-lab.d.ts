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
  /**
   * Attention dropout, 0 <= p < 1 (default 0): attention in training mode. After the
   * softmax each weight is zeroed with probability p and the survivors are scaled by
   * 1/(1 - p); the output is computed from those weights, which are the weights returned.
   * With p > 0 the weights kernel runs even with `weights: false`.
   */
  dropout?: number;
  /** Seed of the dropout mask (a non-negative integer, default 1): the same seed drops the same weights. */
  seed?: number;
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

/** Options of {@link AttentionLab.attentionBackward}: those of attention, plus the gradient to push back. */
export type AttentionBackwardOptions = MaskOptions & {
  /** Queries, (heads x) nq x dk. */
  q: NumberArray;
  /** Keys, (heads x) nk x dk. */
  k: NumberArray;
  /** Values, (heads x) nk x dv. */
  v: NumberArray;
  /** dL/d(output), the output's shape: (heads x) nq x dv. */
  gradOutput: NumberArray;
  nq: number;
  nk: number;
  dk: number;
  dv: number;
  /** Independent attentions in one call; default 1. */
  heads?: number;
  /** Logit scaling; default 'sqrt'. */
  scaling?: Scaling;
  /** Default 1. */
  temperature?: number;
  /** Attention dropout p (default 0): the gradient of the output attention({ dropout, seed }) computes. */
  dropout?: number;
  /** Seed of the dropout mask; default 1. */
  seed?: number;
  /** lambda >= 0 (default 0): adds lambda * (sum of each weight row's entropy) to the differentiated sum. */
  entropyPenalty?: number;
};

/** What {@link AttentionLab.attentionBackward} returns: gradients shaped like q, k and v. */
export interface AttentionGradients {
  gradQ: Float32Array;
  gradK: Float32Array;
  gradV: Float32Array;
}

/** Options of the lesson-7 trainers ('spurious' and 'noise'). */
export interface ClassifierTrainerOptions {
  /** Random seed (data, initial model, batches, dropout masks); default 1. */
  seed?: number;
  /** Attention dropout p, 0 <= p < 1; default 0. */
  dropout?: number;
  /** lambda >= 0 of the entropy penalty lambda * H(attention); default 0. */
  entropyPenalty?: number;
  /** Step size; default 0.001 ('spurious', Adam) or 0.3 ('noise', SGD). */
  learningRate?: number;
  /** Default 'adam' ('spurious') or 'sgd' ('noise'). */
  optimizer?: 'adam' | 'sgd';
  /** Examples per step, 0 for the whole training set; default 0 ('spurious') or 32 ('noise'). */
  batch?: number;
  /** Record metrics every this many steps (and at step 0); default 5. */
  evaluateEvery?: number;
  /** Default 48 ('spurious') or 256 ('noise'). */
  trainingExamples?: number;
  /** Default 256. */
  validationExamples?: number;
  /** Embedding and projection width; default 16. */
  width?: number;
}

/** Options of {@link AttentionLab.createTrainer}, by task. */
export type TrainerOptions =
  | ({ task: 'spurious' } & ClassifierTrainerOptions)
  | ({
      task: 'noise';
      /** Noise tokens around the signal, 0 to 64; default 16. */
      noiseTokens?: number;
    } & ClassifierTrainerOptions)
  | ({ task: 'task-weighting' } & Omit<TaskWeightingOptions, 'steps'>);

/** [CLS]'s attention on validation examples: {@link Trainer.attention}. */
export interface TrainerAttention {
  /** examples x length: [CLS]'s weights (0 at position 0, [CLS] itself). */
  weights: Float32Array;
  /** examples x length token kinds. */
  kinds: Int32Array;
  /** examples x length: 0 none, 1 leaning +, 2 leaning -. */
  polarity: Int32Array;
  /** examples x length token names, polarity included ('[CLS]', 'S+', 'good3', 'noise7', …). */
  tokens: string[];
  /** examples labels, 0 or 1. */
  labels: Int32Array;
  examples: number;
  length: number;
  /** The role of each position. */
  roles: readonly TokenRole[];
}

export type TokenRole = 'cls' | 'signal' | 'spurious' | 'filler' | 'noise';

/** The recorded metrics: one Float32Array per metric name, all `rows` long. */
export type TrainerMetrics = { rows: number } & { [metric: string]: Float32Array | number };

/** A lesson model being trained: {@link AttentionLab.createTrainer}. */
export interface Trainer {
  readonly task: 'spurious' | 'noise' | 'task-weighting';
  /** The options it was created with, defaults filled in (configure updates them). */
  readonly options: Readonly<Record<string, number | string>>;
  /**
   * The metric columns: 'step', then for 'spurious' and 'noise' trainLoss, trainAccuracy,
   * validationLoss, validationAccuracy, entropy, signalWeight and spuriousWeight or
   * noiseWeight; for 'task-weighting' weightEasy, weightMedium, weightHard, lossEasy,
   * lossMedium, lossHard.
   */
  readonly metricNames: readonly string[];
  /** Role of each token position; [] for 'task-weighting'. */
  readonly roles: readonly TokenRole[];
  /** Name of each token kind, by kind; [] for 'task-weighting'. */
  readonly vocabulary: readonly string[];
  /** Steps taken so far. */
  readonly steps: number;
  readonly disposed: boolean;
  /** Takes `steps` more steps (default 1, at most 1000000 per call); returns the steps taken so far. */
  step(steps?: number): number;
  /** The metrics recorded from row `from` (default 0) on. */
  metrics(options?: { from?: number }): TrainerMetrics;
  /** [CLS]'s attention now on the first `examples` (default 8) validation sequences. Not for 'task-weighting'. */
  attention(options?: { examples?: number }): TrainerAttention;
  /** Changes these from the next step on. Not for 'task-weighting'. */
  configure(changes: { dropout?: number; entropyPenalty?: number; learningRate?: number }): void;
  /** Frees the trainer's memory now; later calls throw. */
  dispose(): void;
}

/** Options of {@link AttentionLab.taskWeighting}. */
export interface TaskWeightingOptions {
  /** 'descent', 'ascent' or 'loss-ratio' (required for taskWeighting; default 'descent' for createTrainer). */
  update?: 'descent' | 'ascent' | 'loss-ratio';
  /** Steps to run (1 to 100000); default 500. */
  steps?: number;
  /** Random seed; default 1. */
  seed?: number;
  /** Learning rate of the task scores (descent, ascent); default 0.1. */
  lr?: number;
  /** Temperature of the loss-ratio softmax; default 0.05. */
  temperature?: number;
  /** Steps per window of the loss-ratio rule; default 10. */
  window?: number;
  /** The shared model's SGD step; default 0.1. */
  modelLr?: number;
}

/** What {@link AttentionLab.taskWeighting} returns. */
export interface TaskWeightingResult {
  tasks: ['easy', 'medium', 'hard'];
  /** steps x 3: the weights each step used. */
  weights: Float32Array;
  /** steps x 3: each task's loss before that step. */
  losses: Float32Array;
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
   * The backward pass of attention: the exact gradients of sum(output . gradOutput)
   * (+ entropyPenalty times the summed row entropies of the weights) with respect to q,
   * k and v, for the output attention() computes with the same options (dropout and seed
   * included). A query that sees no key contributes nothing.
   */
  attentionBackward(options: AttentionBackwardOptions): AttentionGradients;

  /**
   * A lesson model that trains step by step in the caller's thread ('spurious' and
   * 'noise': lesson 7; 'task-weighting': lesson 8). Free it with dispose().
   */
  createTrainer(options: TrainerOptions): Trainer;

  /**
   * Lesson 8 in one call: three tasks share one model; a softmax over task scores weights
   * their losses; `update` moves the weights.
   */
  taskWeighting(options: TaskWeightingOptions & { update: 'descent' | 'ascent' | 'loss-ratio' }): TaskWeightingResult;
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
