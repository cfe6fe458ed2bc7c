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
  /**
   * Logits are divided by it: > 1 flattens the softmax, < 1 sharpens it; default 1. Any
   * float32 > 0 (1.4e-45 to 3.4e38): towards 0 the weights tend to the argmax, keys tied
   * for the largest score sharing the weight equally.
   */
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
  /**
   * Return weights, headEntropy, mixtureEntropy, headOutputs and values (default true);
   * false runs the fused kernel and returns only the output.
   */
  weights?: boolean;
  /**
   * One boolean per head, true = on (default: all on). A head switched off still has its
   * weights computed, but adds nothing to the output (a zero block in headOutputs) and is
   * left out of mixtureEntropy.
   */
  headMask?: readonly boolean[];
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
  /** heads x n x n: each head's attention weights (heads switched off included). */
  weights: Float32Array;
  /** heads x n: the entropy (natural log) of each head's weight rows. */
  headEntropy: Float32Array;
  /**
   * n: the entropy of the active heads' average pattern per row (0 if no head is on);
   * never below the mean of their headEntropy, since entropy is concave.
   */
  mixtureEntropy: Float32Array;
  /** n x dModel: the heads' outputs concatenated, before wo (head h in columns [h*dh, (h+1)*dh)). */
  headOutputs: Float32Array;
  /** n x dModel: V = x wv (x wk with tieKV), the rows each head blends. */
  values: Float32Array;
}

/** Options of the per-row statistics (entropy, effectiveTokens, maxWeight). */
export interface RowStatisticOptions {
  /**
   * Attention weights, heads x rows x cols (rows x cols when heads is 1): each row >= 0
   * summing to 1 (within 1e-3), or all zeros (a query that saw no key).
   */
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
  /**
   * Attention weights of all heads, heads x rows x cols: rows as for the other
   * statistics, and a row all zeros in every head or in none.
   */
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

/** Options of {@link AttentionLab.pointerChase}. */
export interface PointerChaseOptions {
  /** Position i points at pointers[i]: from 1 to 1024 integers, each from 0 to n - 1. */
  pointers: Int32Array | readonly number[];
  /** Attention layers, one hop each: an integer from 1 to 64; default 1. */
  layers?: number;
  /** Hops the question asks for (answerAccuracy's target): 1 to 64; default layers. */
  hops?: number;
  /**
   * Multiplies the keys: large is sharp (one-hot codes are exact from about 88 on), small
   * blurs each hop. A number > 0, at most the largest float32; default 100.
   */
  sharpness?: number;
  /**
   * Code length: omitted or >= n gives one-hot codes; below n, random unit vectors of this
   * length drawn from seed (crowded codes). An integer from 1 to 1024.
   */
  dim?: number;
  /** Draws the codes when dim < n (a non-negative integer); default 1. */
  seed?: number;
}

/** What {@link AttentionLab.pointerChase} returns. */
export interface PointerChaseResult {
  /** layers x n: where the chase started at s stands after layer l + 1 (the nearest code; ties to the lowest index). */
  positions: Int32Array;
  /** layers x n x n: each layer's attention (row s: the chase started at s). */
  weights: Float32Array;
  /** layers x n x codeLength: each layer's output, the next layer's query. */
  outputs: Float32Array;
  /** n x codeLength: the position codes. */
  codes: Float32Array;
  /** Length of a code: dim if dim < n, else n. */
  codeLength: number;
  /** max(layers, hops) x n: the true chase, pointers applied t + 1 times to s. */
  targets: Int32Array;
  /** layers: the fraction of starts at their true (l + 1)-hop target after layer l + 1. */
  accuracy: Float32Array;
  /** The fraction of starts whose last position is their true `hops`-hop target. */
  answerAccuracy: number;
}

/** Options of {@link AttentionLab.pointerChaseAccuracy}. */
export interface PointerChaseAccuracyOptions {
  /** Positions per pointer array: an integer from 1 to 1024. */
  n: number;
  /** Layers (hops): 1 to 64; default 1. */
  layers?: number;
  /** As in pointerChase; default 100. */
  sharpness?: number;
  /** As in pointerChase: omitted for one-hot codes. */
  dim?: number;
  /** Random pointer arrays averaged over: 1 to 10000; default 20. */
  trials?: number;
  /** Trial t uses seed + t for its pointers and codes; default 1. */
  seed?: number;
}

/** Options of {@link AttentionLab.retrieval}. */
export interface RetrievalOptions {
  /** rows x cols: what attention returned (e.g. multiHeadAttention's headOutputs). */
  output: NumberArray;
  /** valueRows x cols: the value rows the targets name (e.g. multiHeadAttention's values). */
  values: NumberArray;
  /** Rows of output (a positive integer). */
  rows: number;
  /** Columns of output and values (a positive integer). */
  cols: number;
  /** For each output row, the value row it should have retrieved, or -1 for none. */
  targets: Int32Array | readonly number[];
  /** [begin, end): the columns compared, e.g. head h's block [h*dh, (h+1)*dh); default [0, cols). */
  columns?: readonly [number, number];
  /** Rows of values (a positive integer); default rows. */
  valueRows?: number;
}

/** What {@link AttentionLab.retrieval} returns. */
export interface RetrievalResult {
  /** rows: the cosine of each output row to its target's value row (0 without a target or for a zero vector). */
  cosine: Float32Array;
  /** The mean cosine over rows with a target (0 if none). */
  mean: number;
  /** Rows with a target. */
  count: number;
}

/** The four readers of the context lesson: how far each can look from one output. */
export type Reader = 'conv' | 'rnn' | 'local' | 'global';

/** Options every reader takes. */
interface ReaderCommon {
  /** Number of tokens, from 1 to influenceLimits.maxN (1024). */
  n: number;
  /** The output whose influences are measured, from 0 to n - 1. */
  position: number;
  /** Random seed for the tokens and the weights (a non-negative integer); default 1. */
  seed?: number;
}

/** A stack of centred 1-D convolutions, each followed by tanh. */
export interface ConvReaderOptions extends ReaderCommon {
  reader: 'conv';
  /** Layers, from 1 to 16; default 1. Each widens the view by (kernel - 1) / 2 on each side. */
  layers?: number;
  /** Width of the convolution window, odd, from 1 to 15; default 3. */
  kernel?: number;
  window?: never;
  hidden?: never;
  spectralNorm?: never;
}

/** A tanh RNN: its output at position is its state after reading tokens 0..position. */
export interface RnnReaderOptions extends ReaderCommon {
  reader: 'rnn';
  /** Size of the state vector, from 1 to 32; default 16. */
  hidden?: number;
  /**
   * Every singular value of the recurrent matrix, from 0 to 1; default 0.9. Below 1 the
   * RNN is contractive: a token d steps back counts at most spectralNorm^d as much.
   */
  spectralNorm?: number;
  layers?: never;
  kernel?: never;
  window?: never;
}

/** Layers of self-attention where token i sees only tokens j with |i - j| <= window. */
export interface LocalReaderOptions extends ReaderCommon {
  reader: 'local';
  /** Layers, from 1 to 16; default 1. Each widens the view by window on each side. */
  layers?: number;
  /** Half-width of the mask, from 0 to 16; default 1. */
  window?: number;
  kernel?: never;
  hidden?: never;
  spectralNorm?: never;
}

/** One layer of self-attention with no mask: every token sees every token. */
export interface GlobalReaderOptions extends ReaderCommon {
  reader: 'global';
  layers?: never;
  kernel?: never;
  window?: never;
  hidden?: never;
  spectralNorm?: never;
}

/**
 * Options of {@link AttentionLab.influence} and {@link AttentionLab.receptiveField}: each
 * reader takes its own options; another reader's option is an error.
 */
export type InfluenceOptions = ConvReaderOptions | RnnReaderOptions | LocalReaderOptions | GlobalReaderOptions;

/** The largest sizes influence accepts, and the length of the token vectors. */
export interface InfluenceLimits {
  readonly maxN: number;
  readonly maxLayers: number;
  readonly maxKernel: number;
  readonly maxWindow: number;
  readonly maxHidden: number;
  readonly maxSpectralNorm: number;
  /** Length of every token vector (8). */
  readonly tokenDim: number;
}

/** Tokens first..last (inclusive). */
export interface TokenRange {
  first: number;
  last: number;
}

/** Options of {@link AttentionLab.pathLength}. */
export type PathLengthOptions = {
  /** How many positions before the output the token is (after it, if negative). */
  distance: number;
} & (
  | { reader: 'conv'; /** Odd width, 1 to 15; default 3. */ kernel?: number; window?: never }
  | { reader: 'local'; /** Half-width of the mask, 0 to 16; default 1. */ window?: number; kernel?: never }
  | { reader: 'rnn' | 'global'; kernel?: never; window?: never }
);

/** Options of {@link AttentionLab.monotonicAlignment}. */
export interface MonotonicAlignmentOptions {
  /** rows x cols, row-major: how well target token i matches source token j. */
  scores: NumberArray;
  /** Target tokens (a positive integer). */
  rows: number;
  /** Source tokens (a positive integer). */
  cols: number;
}

/** What {@link AttentionLab.monotonicAlignment} returns. */
export interface MonotonicAlignmentResult {
  /** rows values: the source token each target takes, never decreasing. */
  path: Int32Array;
  /** The sum over rows of scores[i][path[i]]: the largest any non-decreasing path reaches. */
  total: number;
  /** The rows whose score on the path is below that row's best: the words it gets wrong. */
  misaligned: Int32Array;
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

  /** exp(entropy) of each row: how many keys a row effectively attends to (0 for a zero row). heads*rows values. */
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
   * Pointer chasing with stacked attention layers, one hop per layer: keys = codes x
   * sharpness, values = the code of each position's target, query = where the chase
   * stands (layer l's output is layer l + 1's query). With one-hot codes and a large
   * sharpness, after L layers every start stands at pointers applied L times; soft
   * attention or crowded codes (dim < n) make errors that grow with the hops.
   * At most 2^28 for layers x n^2 x code length.
   */
  pointerChase(options: PointerChaseOptions): PointerChaseResult;

  /**
   * The chase's mean accuracy after each layer over `trials` random pointer arrays (trial
   * t: randomPointers({ n, seed: seed + t }), codes from seed + t), with its standard error.
   * At most 2^28 for trials x layers x n^2 x code length.
   */
  pointerChaseAccuracy(options: PointerChaseAccuracyOptions): { accuracy: Float32Array; standardError: Float32Array };

  /** n pointers drawn uniformly from 0 to n - 1 from seed (n from 1 to 1024): the same everywhere. */
  randomPointers(options: { n: number; seed: number }): Int32Array;

  /**
   * How well attention retrieved each row's target: the cosine between output row i and
   * value row targets[i], over `columns`. Score one wide head (heads: 1) against several,
   * or tied K/V against separate, with the same values.
   */
  retrieval(options: RetrievalOptions): RetrievalResult;
  /** The largest sizes influence accepts (for sliders), and tokenDim. */
  readonly influenceLimits: InfluenceLimits;

  /**
   * How strongly each input token can change a reader's output at `position`: entry j is
   * the size (Frobenius norm) of the Jacobian d y_position / d x_j, computed exactly by
   * the core's derivatives; 0 means token j cannot reach that output at all. The tokens
   * are n random vectors of tokenDim numbers (the first n * tokenDim of
   * randomNormal({ seed })), the same for every reader; the weights are random too, from
   * the same seed. Returns n values.
   */
  influence(options: InfluenceOptions): Float32Array;

  /**
   * The tokens the reader's output at `position` can see at all (influence is exactly 0
   * outside): conv position +- layers (kernel - 1) / 2, local position +- layers window,
   * global all, rnn 0..position. Same options as influence.
   */
  receptiveField(options: InfluenceOptions): TokenRange;

  /**
   * How many layers (or, for the rnn, state updates) it takes before a token `distance`
   * positions away can influence the output: conv ceil(|d| / ((kernel - 1) / 2)), local
   * ceil(|d| / window) (at least 1), global 1, rnn d + 1. Infinity if it never can.
   */
  pathLength(options: PathLengthOptions): number;

  /**
   * The best alignment that never goes back (path[i] <= path[i + 1]), as a CTC-style
   * model must: it maximises the sum of scores[i][path[i]], by dynamic programming in
   * O(rows cols). Ties go to the path that takes the leftmost column first.
   */
  monotonicAlignment(options: MonotonicAlignmentOptions): MonotonicAlignmentResult;
  /** Bytes of scratch memory kept between calls for reuse: at most 16 MiB. */
  retainedScratchBytes(): number;

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
